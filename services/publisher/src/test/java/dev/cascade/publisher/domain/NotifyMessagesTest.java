package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class NotifyMessagesTest {

  private static final SOARecord SOA = TestRecords.snapshot("example.test.", "v1", 2026120701, 0).soa();

  @Test
  void notifyCarriesTheApexSoaAsQuestionAndTheNewSoaAsAnswer() throws Exception {
    Message notify = new Message(NotifyMessages.notify(4242, SOA).toWire());
    assertEquals(4242, notify.getHeader().getID());
    assertEquals(Opcode.NOTIFY, notify.getHeader().getOpcode());
    assertTrue(notify.getHeader().getFlag(Flags.AA));
    assertFalse(notify.getHeader().getFlag(Flags.QR));
    assertEquals(Name.fromString("example.test."), notify.getQuestion().getName());
    assertEquals(Type.SOA, notify.getQuestion().getType());
    assertEquals(2026120701, ((SOARecord) notify.getSection(Section.ANSWER).get(0)).getSerial());
  }

  @Test
  void onlyTheEchoOfTheSameNotifyAnswersIt() throws Exception {
    Message sent = NotifyMessages.notify(7, SOA);
    assertTrue(NotifyMessages.answers(echo(sent, 7, Opcode.NOTIFY, "example.test."), sent));
    assertFalse(NotifyMessages.answers(echo(sent, 8, Opcode.NOTIFY, "example.test."), sent), "another ID");
    assertFalse(NotifyMessages.answers(echo(sent, 7, Opcode.QUERY, "example.test."), sent), "another opcode");
    assertFalse(NotifyMessages.answers(echo(sent, 7, Opcode.NOTIFY, "other.test."), sent), "another zone");
    Message query = new Message(sent.toWire());
    assertFalse(NotifyMessages.answers(query, sent), "the NOTIFY itself, QR clear");
  }

  private static Message echo(Message sent, int id, int opcode, String zone) throws Exception {
    Message response = new Message(id);
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setOpcode(opcode);
    response.addRecord(Record.newRecord(Name.fromString(zone), Type.SOA, sent.getQuestion().getDClass()),
        Section.QUESTION);
    return response;
  }
}
