package dev.cascade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusRendererTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** A zone loaded from a primary: its source in the reference's words, and the last transfer in (issue 10). */
  @Test
  void aPrimaryIsShownWithItsKeyAndTheLastTransferIn() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'default','source':'[2001:db8::1]:5353^k1',
         'review':{'loaded':'off','signed':'off'},'progress':'idle','halted':false,'lastPublished':null,
         'lastTransferIn':{'kind':'IXFR','serial':2026120702,'at':'2026-11-28T02:59:01Z'},'keys':[]}
        """);
    String rendered = StatusRenderer.render(status, false, NOW);
    assertTrue(rendered.contains("""
        source: [2001:db8::1]:5353 with TSIG key 'k1'
        last transfer in: IXFR of serial 2026120702 at 2026-11-28T02:59:01Z
        """), rendered);
  }

  @Test
  void waitingForLoadedReviewShowsHowToApprove() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'review','source':'/srv/zones/example.com.zone',
         'review':{'loaded':'manual','signed':'manual'},'progress':'waiting for loaded review','halted':false,
         'loadStartedAt':'2026-11-28T02:59:00Z','lastPublished':null,
         'unsigned':{'versionId':'v1','serial':2026112801,'byteCount':900,'recordCount':12,
                     'loadedAt':'2026-11-28T02:59:01Z','warnings':[],'reviewStatus':'pending'},
         'unsignedReviewAddresses':['127.0.0.1:4540'],'signed':null,'signedReviewAddresses':['127.0.0.1:4541'],
         'publishAddresses':['127.0.0.1:4542'],'error':null,'dnskeyTtl':null,'keys':[]}
        """);
    String expected = """
        zone:   example.com.
        policy: review
        source: /srv/zones/example.com.zone

        review
          loaded: manual
          signed: manual

        last published
          <no versions published yet>

        status: waiting for loaded review
          ✔ load (serial: 2026112801)
          ■ review loaded zone
          |   zone must be reviewed manually
          |   loaded zone is available at:
          |     - 127.0.0.1:4540
          |   possible actions:
          |     cascade zone approve --unsigned example.com. 2026112801
          |     cascade zone reject --unsigned example.com. 2026112801
          |
          ○ persist loaded zone
          ○ sign
          ○ review signed zone
          ○ persist signed zone
          ○ publish
        """;
    assertEquals(expected, StatusRenderer.render(status, false, NOW));
  }

  /** A script gate names its hook, as the reference's {@code script `<hook>`}, and says the hook decides. */
  @Test
  void aScriptGateShowsItsHook() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'hooked','source':'/z',
         'review':{'loaded':'script','signed':'off','loadedHook':'/usr/local/bin/check','signedHook':null},
         'progress':'waiting for loaded review','halted':false,'loadStartedAt':'2026-11-28T02:59:00Z',
         'lastPublished':null,
         'unsigned':{'versionId':'v1','serial':7,'byteCount':900,'recordCount':12,
                     'loadedAt':'2026-11-28T02:59:01Z','warnings':[],'reviewStatus':'pending'},
         'unsignedReviewAddresses':['127.0.0.1:4540'],'signed':null,'signedReviewAddresses':['127.0.0.1:4541'],
         'publishAddresses':['127.0.0.1:4542'],'error':null,'dnskeyTtl':null,'keys':[]}
        """);
    String out = StatusRenderer.render(status, false, NOW);
    assertTrue(out.contains("  loaded: script `/usr/local/bin/check`\n  signed: off\n"), out);
    assertTrue(out.contains("  ■ review loaded zone\n  |   the review hook decides, unless an operator does first\n"),
        out);
  }

  /** The published signatures' expiry, and a warning while a re-signing that would renew them waits for review. */
  @Test
  void aReSigningWaitingForReviewWarnsWithThePublishedSignaturesExpiry() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'review','source':'/z',
         'review':{'loaded':'manual','signed':'manual'},'progress':'waiting for signed review','halted':false,
         'loadStartedAt':'2026-11-28T02:59:00Z',
         'lastPublished':{'versionId':'v1','loadedSerial':7,'signedSerial':8,'timestamp':'2026-11-27T00:00:00Z',
                          'recordCount':31,'signaturesExpireAt':'2026-11-30T05:00:00Z'},
         'unsigned':{'versionId':'v1','serial':7,'byteCount':900,'recordCount':12,
                     'loadedAt':'2026-11-27T00:00:00Z','warnings':[],'reviewStatus':'approved'},
         'signed':{'versionId':'r1','serial':9,'reviewStatus':'pending','report':null,'cause':'signature-refresh'},
         'unsignedReviewAddresses':['127.0.0.1:4540'],'signedReviewAddresses':['127.0.0.1:4541'],
         'publishAddresses':['127.0.0.1:4542'],'error':null,'dnskeyTtl':null,'keys':[]}
        """);
    String out = StatusRenderer.render(status, false, NOW);
    assertTrue(out.contains("  signatures expire: 2026-11-30T05:00:00Z (in "), out);
    assertTrue(out.contains("  WARNING: a re-signing (signature-refresh) waits for review; until it is approved the "
        + "published signatures are not renewed\n"), out);
  }

  /**
   * Issue 13 item 2: a zone halted after its loaded review under {@code on-reject = "halt"} shows the rejected step with
   * the override for that gate, the halt (cause, who, since when, reason) and the commands that recover from it.
   */
  @Test
  void aHaltedZoneSaysWhatHaltedItAndHowToRecover() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'halting','source':'/z',
         'review':{'loaded':'manual','signed':'manual','loadedOnReject':'halt','signedOnReject':'discard'},
         'progress':'halted after loaded review','halted':true,'lastPublished':null,
         'unsigned':{'versionId':'v1','serial':7,'reviewStatus':'rejected'},
         'unsignedReviewAddresses':['127.0.0.1:4540'],'signedReviewAddresses':[],'publishAddresses':[],
         'error':null,'keys':[],
         'halt':{'cause':'loaded-review','mode':'HardHalt','reason':'Unsigned zone review rejected: hook exited 3',
                 'by':'hook','since':'2026-11-28T02:00:00Z','serial':7,
                 'recovery':['cascade zone override --unsigned example.com.','cascade zone reset example.com.']}}
        """);
    String out = StatusRenderer.render(status, false, NOW);
    assertTrue(out.contains("  loaded: manual (on-reject = \"halt\")\n  signed: manual\n"), out);
    assertTrue(out.contains("""
          ⨯ review loaded zone
          |   ERROR: zone was rejected
          |   possible actions:
          |     cascade zone override --unsigned example.com.
          |     cascade zone reset example.com.
        """), out);
    assertTrue(out.endsWith("""

        HALTED (loaded-review, HardHalt) by hook since 2026-11-28T02:00:00Z (1h ago)
          reason: Unsigned zone review rejected: hook exited 3
          nothing new is published for this zone until the operator acts; the published version stays served
          possible actions:
            cascade zone override --unsigned example.com.
            cascade zone reset example.com.
        """), out);
  }

  @Test
  void waitingForSignedReviewWithEarlierPublication() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'review','source':'/z',
         'review':{'loaded':'off','signed':'manual'},'progress':'waiting for signed review','halted':false,
         'lastPublished':{'versionId':'v0','loadedSerial':1,'signedSerial':1764290000,
                          'timestamp':'2026-11-28T01:00:00.123Z','recordCount':31},
         'unsigned':{'versionId':'v1','serial':2,'reviewStatus':'approved'},
         'unsignedReviewAddresses':['127.0.0.1:4540'],
         'signed':{'versionId':'v1','serial':1764295200,'reviewStatus':'pending',
                   'report':{'unsignedRrCount':10,'denialRrCount':4,'rrsigCount':9,
                             'startedAt':'2026-11-28T02:00:00Z','finishedAt':'2026-11-28T02:00:01Z','threads':2}},
         'signedReviewAddresses':['127.0.0.1:4541'],'publishAddresses':['127.0.0.1:4542'],'error':null,'keys':[]}
        """);
    String expected = """
        zone:   example.com.
        policy: review
        source: /z

        review
          loaded: off
          signed: manual

        last published
          loaded serial: 1
          signed serial: 1764290000
          timestamp:     2026-11-28T01:00:00Z
          size:          31 records

        status: waiting for signed review
          ✔ load (serial: 2)
          ○ review loaded zone (disabled)
          ✔ persist loaded zone
          ✔ sign (serial: 1764295200)
          ■ review signed zone
          |   zone must be reviewed manually
          |   signed zone is available at:
          |     - 127.0.0.1:4541
          |   possible actions:
          |     cascade zone approve --signed example.com. 1764295200
          |     cascade zone reject --signed example.com. 1764295200
          |
          ○ persist signed zone
          ○ publish

        Published zone available at:
          - 127.0.0.1:4542
        """;
    assertEquals(expected, StatusRenderer.render(status, false, NOW));
  }

  /**
   * Several publisher instances announced what they serve: which serves which serial is shown under the last
   * publication; with one instance (or announcements that name none) nothing is added.
   */
  @Test
  void whatEachPublisherServesIsShownWhenSeveralAnnounced() throws Exception {
    String status = """
        {'name':'example.com.','policy':'default','source':'/z',
         'review':{'loaded':'off','signed':'off'},'progress':'idle','halted':false,
         'lastPublished':{'versionId':'v2','loadedSerial':2,'signedSerial':2026120705,
                          'timestamp':'2026-11-28T01:00:00Z','recordCount':31},
         'publishAddresses':['127.0.0.1:4542'],'error':null,'keys':[],
         'servedBy':[SERVED]}
        """;
    String two = "{'instance':'1','versionId':'v2','signedSerial':2026120705,'at':'2026-11-28T01:00:00Z'},"
        + "{'instance':'2','versionId':'v1','signedSerial':2026120704,'at':'2026-11-28T00:00:00Z'}";
    String lastPublished = """
        last published
          loaded serial: 2
          signed serial: 2026120705
          timestamp:     2026-11-28T01:00:00Z
          size:          31 records
        """;

    String rendered = StatusRenderer.render(json(status.replace("SERVED", two)), false, NOW);
    assertTrue(rendered.contains(lastPublished
        + "  publishers:    1 at 2026120705, 2 at 2026120704\n\nstatus: idle\n"), rendered);

    String one = two.substring(0, two.indexOf("},") + 1);
    assertTrue(StatusRenderer.render(json(status.replace("SERVED", one)), false, NOW)
        .contains(lastPublished + "\nstatus: idle\n"), "one instance: no line of its own");
  }

  @Test
  void idlePrintsNoStepsButTheErrorWithFileAndLine() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'default','source':'/z/example.zone',
         'review':{'loaded':'off','signed':'off'},'progress':'idle','halted':false,'lastPublished':null,
         'unsigned':null,'signed':null,'unsignedReviewAddresses':[],'signedReviewAddresses':[],
         'publishAddresses':['127.0.0.1:4542'],
         'error':{'message':'/z/example.zone:12: unknown type FOO','file':'/z/example.zone','line':12,
                  'at':'2026-11-28T02:00:00Z'},'keys':[]}
        """);
    String out = StatusRenderer.render(status, false, NOW);
    assertTrue(out.contains("status: idle\n\nAn error occurred during the last operation:\n"
        + "  ERROR: /z/example.zone:12: unknown type FOO\n"
        + "  Run `cascade zone history example.com.` for more information.\n"), out);
    assertTrue(!out.contains(StatusRenderer.PENDING) && !out.contains(StatusRenderer.DONE), "idle shows no steps: " + out);
  }

  @Test
  void theDsToSubmitIsShownWithWhereAndTheHooksOutcome() throws Exception {
    String status = """
        {'name':'example.com.','policy':'default','source':'/z/example.zone',
         'review':{'loaded':'off','signed':'off'},'progress':'idle','halted':false,'lastPublished':null,
         'unsigned':null,'signed':null,'publishAddresses':[],'error':null,'keys':[],
         'dsSubmission':{'parent':'com.','ds':['example.com. 3600 IN DS 2 13 2 BB'],
                         'add':['example.com. 3600 IN DS 2 13 2 BB'],'remove':['example.com. 3600 IN DS 1 13 2 AA'],
                         'cause':'the ksk roll entered phase 2','requestedAt':'2026-11-28T02:59:00Z',HOOK}}
        """;
    String ran = "'hook':true,'hookExitCode':3,'hookOutcome':'exited 3','hookOutput':'refused\\nbad key\\n',"
        + "'hookCompletedAt':'2026-11-28T02:59:02Z'";
    String out = StatusRenderer.render(json(status.replace("HOOK", ran)), false, NOW);
    assertTrue(out.contains("""

        DS at the parent com. (requested at 2026-11-28T02:59:00Z: the ksk roll entered phase 2):
          the parent is to hold:
            example.com. 3600 IN DS 2 13 2 BB
          add:    example.com. 3600 IN DS 2 13 2 BB
          remove: example.com. 3600 IN DS 1 13 2 AA
          submission hook exited 3 at 2026-11-28T02:59:02Z
            | refused
            | bad key
        """), out);
    String byHand = StatusRenderer.render(json(status.replace("HOOK", "'hook':false")), false, NOW);
    assertTrue(byHand.contains("  no submission hook: submit these to the parent's operator (registrar) by hand\n"),
        byHand);
  }

  @Test
  void eventsSetAsideAreListedWithWhereTheyAreAndWhy() throws Exception {
    JsonNode status = json("""
        {'name':'example.com.','policy':'default','source':'/z/example.zone',
         'review':{'loaded':'off','signed':'off'},'progress':'signing','halted':false,'lastPublished':null,
         'unsigned':null,'signed':null,'publishAddresses':[],'error':null,'keys':[],
         'setAside':[{'service':'signer','topic':'cascade.zone-reviews.v1','partition':3,'offset':17,
                      'eventType':'ZoneVersionReviewed','reason':'IllegalStateException: database down',
                      'attempts':6,'at':'2026-11-28T02:59:00Z'},
                     {'service':'publisher','topic':'cascade.signed-versions.v1','partition':0,'offset':2,
                      'eventType':null,'reason':'could not be decoded: unknown magic byte','attempts':0,
                      'at':'2026-11-28T02:59:30Z'}]}
        """);
    String out = StatusRenderer.render(status, false, NOW);
    assertTrue(out.contains("""
        Events set aside since the last publication (the zone may wait for them):
          - signer set aside ZoneVersionReviewed at 2026-11-28T02:59:00Z after 6 attempt(s):
            IllegalStateException: database down
            (cascade.zone-reviews.v1 partition 3 offset 17; dead letter on cascade.signer-dead-letters.v1)
          - publisher set aside a record that could not be decoded at 2026-11-28T02:59:30Z:
            could not be decoded: unknown magic byte
            (cascade.signed-versions.v1 partition 0 offset 2; dead letter on cascade.publisher-dead-letters.v1)
        """), out);
  }

  @Test
  void loadingAndSigningAreOngoingWithStartTimes() throws Exception {
    JsonNode loading = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'loading','loadStartedAt':'2026-11-28T02:58:55Z','lastPublished':null,'keys':[]}
        """);
    String out = StatusRenderer.render(loading, false, NOW);
    assertTrue(out.contains("""
        status: loading
          ● load
          |   serial: <not yet known>
          |   start time: 2026-11-28T02:58:55Z (1m 5s ago)
          |
          ○ review loaded zone (disabled)
          ○ persist loaded zone
          ○ sign
        """), out);

    JsonNode signing = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'signing','lastPublished':null,'unsigned':{'versionId':'v1','serial':5},'signed':null,'keys':[]}
        """);
    assertTrue(StatusRenderer.render(signing, false, NOW).contains("""
          ✔ persist loaded zone
          ● sign
          |   loaded serial: 5
          |   signed serial: <not yet known>
          |   start time: <not started yet>
          |
          ○ review signed zone (disabled)
        """));
  }

  @Test
  void anOngoingStepShowsItsProgressUnderIt() throws Exception {
    JsonNode loading = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'loading','loadStartedAt':'2026-11-28T02:59:50Z','lastPublished':null,'keys':[],
         'stepProgress':{'step':'load','phase':'parse','done':9400000,'total':124000000,'unit':'bytes',
                         'versionId':'v2','reportedAt':'2026-11-28T02:59:59Z'}}
        """);
    assertTrue(StatusRenderer.render(loading, false, NOW).contains("""
          ● load
          |   serial: <not yet known>
          |   start time: 2026-11-28T02:59:50Z (10s ago)
          |   progress: 9.4 MB / 124 MB parsed (7%)
          |
          ○ review loaded zone (disabled)
        """), StatusRenderer.render(loading, false, NOW));

    JsonNode signing = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'signing','lastPublished':null,'unsigned':{'versionId':'v1','serial':5},'signed':null,'keys':[],
         'stepProgress':{'step':'sign','phase':'sign','done':1234567,'total':4800000,'unit':'records',
                         'versionId':'v1','reportedAt':'2026-11-28T02:59:59Z'}}
        """);
    assertTrue(StatusRenderer.render(signing, false, NOW).contains("""
          ● sign
          |   loaded serial: 5
          |   signed serial: <not yet known>
          |   start time: <not started yet>
          |   progress: 1,234,567 / 4,800,000 records signed (25%)
          |
          ○ review signed zone (disabled)
        """), StatusRenderer.render(signing, false, NOW));

    JsonNode publishing = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'persisting signed zone','lastPublished':null,'unsigned':{'versionId':'v1','serial':5},
         'signed':{'versionId':'v1','serial':6,'reviewStatus':'approved'},'keys':[],
         'stepProgress':{'step':'publish','phase':'read','done':9600000,'total':9600000,'unit':'records',
                         'versionId':'v1','reportedAt':'2026-11-28T02:59:59Z'}}
        """);
    assertTrue(StatusRenderer.render(publishing, false, NOW).endsWith("""
          ● persist signed zone
          |   progress: 9,600,000 / 9,600,000 records read (100%)
          |
          ○ publish
        """), StatusRenderer.render(publishing, false, NOW));
  }

  @Test
  void progressOfAnotherStepOrNoneLeavesTheStepAsItWas() throws Exception {
    JsonNode signing = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'persisting signed zone','lastPublished':null,'unsigned':{'versionId':'v1','serial':5},
         'signed':{'versionId':'v1','serial':6,'reviewStatus':'approved'},'keys':[],
         'stepProgress':{'step':'sign','phase':'verify','done':1,'total':2,'unit':'records'}}
        """);
    String out = StatusRenderer.render(signing, false, NOW);
    assertTrue(out.endsWith("  ● persist signed zone\n  ○ publish\n"), out);
    assertTrue(!out.contains("progress:"), out);
  }

  @Test
  void bytesAreCountedInTheReferencesDecimalUnitsRoundedDown() {
    assertEquals("999 B", StatusRenderer.bytes(999));
    assertEquals("9.4 KB", StatusRenderer.bytes(9_400));
    assertEquals("9.9 KB", StatusRenderer.bytes(9_999));
    assertEquals("94 KB", StatusRenderer.bytes(94_000));
    assertEquals("124 MB", StatusRenderer.bytes(124_000_000));
    assertEquals("1.2 GB", StatusRenderer.bytes(1_250_000_000));
  }

  @Test
  void signingFailedIsMarkedAsError() throws Exception {
    JsonNode failed = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'signing failed','halted':true,'lastPublished':null,'unsigned':{'versionId':'v1','serial':5},
         'error':{'message':'verification gate: RRSIG expired'},'keys':[]}
        """);
    String out = StatusRenderer.render(failed, false, NOW);
    assertTrue(out.contains("  ⨯ sign\n  |   loaded serial: 5\n  |   ERROR: signing failed\n"), out);
    assertTrue(out.contains("  ERROR: verification gate: RRSIG expired\n"), out);
  }

  @Test
  void detailedAddsTheKeys() throws Exception {
    JsonNode status = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'idle','lastPublished':null,'dnskeyTtl':3600,'keys':[
           {'keyTag':56940,'role':'KSK','algorithm':13,'flags':257,'reference':'db:keymanager/k1',
            'createdAt':'2026-11-28T02:00:00Z','expiresAt':'2027-11-28T02:00:00Z'},
           {'keyTag':61464,'role':'ZSK','algorithm':13,'flags':256,'reference':'db:keymanager/k2',
            'createdAt':'2026-11-28T02:00:00Z','expiresAt':null}]}
        """);
    String out = StatusRenderer.render(status, true, NOW);
    assertTrue(out.endsWith("""
        DNSSEC keys:
          KSK tagged 56940:
            Reference: db:keymanager/k1
            Actively used for signing
          ZSK tagged 61464:
            Reference: db:keymanager/k2
            Actively used for signing
          Details:
            DNSKEY TTL: 3600s
            key 56940 (KSK, algorithm 13, flags 257) created at 2026-11-28T02:00:00Z, expires at 2027-11-28T02:00:00Z
            key 61464 (ZSK, algorithm 13, flags 256) created at 2026-11-28T02:00:00Z, has no expiry
        """), out);
    assertTrue(!StatusRenderer.render(status, false, NOW).contains("DNSSEC keys"));
  }

  @Test
  void detailedShowsWhatEachKeyDoesAndTheRollInProgress() throws Exception {
    JsonNode status = json("""
        {'name':'a.','policy':'default','source':'/z','review':{'loaded':'off','signed':'off'},
         'progress':'idle','lastPublished':null,'dnskeyTtl':3600,'keys':[
           {'keyTag':61464,'role':'ZSK','algorithm':13,'flags':256,'reference':'db:keymanager/k2',
            'createdAt':'2026-11-28T02:00:00Z','expiresAt':null,
            'use':{'published':true,'signsKeys':false,'signsZone':true,'atParent':false}},
           {'keyTag':11111,'role':'ZSK','algorithm':13,'flags':256,'reference':'db:keymanager/k3',
            'createdAt':'2026-11-28T02:00:00Z','expiresAt':null,
            'use':{'published':true,'signsKeys':false,'signsZone':false,'atParent':false}}],
         'rolls':[{'variant':'zsk','rollType':'ZSK_PRE_PUBLISH','newKeys':[11111],'oldKeys':[61464],'phase':1,
            'stage':'propagation','nextStep':'propagation1-complete <ttl>',
            'waitingFor':'Wait until the new DNSKEY RRset has propagated; then propagation1-complete <ttl>',
            'propagationCheck':{'propagated':false,'ttlSeconds':0,'checkedAt':'2026-11-28T03:00:00Z',
              'summary':'the DNSKEY RRset of a. has not propagated: 192.0.2.1:53 serves a DNSKEY RRset with key tags \
        [61464], expected [11111, 61464]',
              'expected':['a. IN DNSKEY 256 3 13 AAAA ; key tag 11111','a. IN DNSKEY 256 3 13 BBBB ; key tag 61464']}}]}
        """);
    String out = StatusRenderer.render(status, true, NOW);
    assertTrue(out.contains("""
          ZSK tagged 61464:
            Reference: db:keymanager/k2
            Actively used for signing (published)
          ZSK tagged 11111:
            Reference: db:keymanager/k3
            Not used for signing (published)
          Details:
            DNSKEY TTL: 3600s
            zsk roll (ZSK_PRE_PUBLISH, keys [61464] out, [11111] in): propagation1
              Automatic key roll state: Wait until the new DNSKEY RRset has propagated; then propagation1-complete <ttl>
              Check that the following RRset has propagated to all name servers:
                a. IN DNSKEY 256 3 13 AAAA ; key tag 11111
                a. IN DNSKEY 256 3 13 BBBB ; key tag 61464
              Not propagated yet at 2026-11-28T03:00:00Z: the DNSKEY RRset of a. has not propagated: 192.0.2.1:53 \
        serves a DNSKEY RRset with key tags [61464], expected [11111, 61464]
        """), out);
  }

  @Test
  void spansAreFriendly() {
    assertEquals("0s", StatusRenderer.span(Duration.ZERO));
    assertEquals("1m 5s", StatusRenderer.span(Duration.ofSeconds(65)));
    assertEquals("1d 1h", StatusRenderer.span(Duration.ofHours(25)));
  }

  @Test
  void historyTableHasTheReferenceColumns() throws Exception {
    JsonNode history = json("""
        {'zone':'a.','history':[{'when':'2026-11-28T02:00:00.5Z','serial':null,'event':'Zone added'},
                                 {'when':'2026-11-28T02:00:01Z','serial':5,'event':'New version received'}]}
        """);
    assertEquals("""
        Timestamp                 Serial     Event
        ---------                 ------     -----
        2026-11-28T02:00:00Z      -          Zone added
        2026-11-28T02:00:01Z      5          New version received""", ZoneCommands.historyTable(history));
  }
}
