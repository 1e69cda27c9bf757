package dev.cascade.publisher.domain;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The NOTIFY exchange of RFC 1996, as messages: what a primary sends, and which answer ends it. */
public final class NotifyMessages {

  private NotifyMessages() {}

  /**
   * A NOTIFY for the zone of {@code soa} (RFC 1996 §3.7): opcode NOTIFY, AA set, the apex SOA as question, and the SOA
   * itself in the answer section as a hint of the new serial (§3.7 allows it; the reference sends it too).
   */
  public static Message notify(int id, SOARecord soa) {
    Message message = new Message(id);
    message.getHeader().setOpcode(Opcode.NOTIFY);
    message.getHeader().setFlag(Flags.AA);
    message.addRecord(Record.newRecord(soa.getName(), Type.SOA, DClass.IN), Section.QUESTION);
    message.addRecord(soa, Section.ANSWER);
    return message;
  }

  /**
   * Whether {@code response} answers {@code sent}: same ID, QR set, opcode NOTIFY and the same question (RFC 1996
   * §4.7 has the secondary echo the query). Its RCODE is the secondary's word ({@link Rcode#string}); anything that does
   * not match is some other message, and the NOTIFY stays unanswered.
   */
  public static boolean answers(Message response, Message sent) {
    return response.getHeader().getID() == sent.getHeader().getID()
        && response.getHeader().getFlag(Flags.QR)
        && response.getHeader().getOpcode() == Opcode.NOTIFY
        && response.getQuestion() != null
        && response.getQuestion().getName().equals(sent.getQuestion().getName())
        && response.getQuestion().getType() == Type.SOA;
  }
}
