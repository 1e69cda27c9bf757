import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The local stack's topic job (deploy/local/stack.sh), what the chart's job-topics does with kafka-topics.sh, which
 * the broker jars here leave out: creates each topic given if missing, then sets its configuration, so settings reach
 * topics that exist already. An existing topic keeps its partition count: adding partitions would move zones to other
 * partitions and break the order of their facts. Run with the source launcher on the broker's class path:
 *
 * <pre>java -cp 'deploy/local/kafka/target/lib/*' CreateTopics.java BOOTSTRAP PARTITIONS REPLICATION MIN_ISR \
 *     TOPIC[:KEY=VALUE,...] ...</pre>
 */
public final class CreateTopics {

  private CreateTopics() {}

  public static void main(String[] args) throws InterruptedException, ExecutionException {
    if (args.length < 5) {
      System.err.println("usage: CreateTopics BOOTSTRAP PARTITIONS REPLICATION MIN_ISR TOPIC[:KEY=VALUE,...] ...");
      System.exit(2);
    }
    int partitions = Integer.parseInt(args[1]);
    short replication = Short.parseShort(args[2]);
    Map<String, Map<String, String>> topics = new HashMap<>();
    for (int i = 4; i < args.length; i++) {
      String[] nameAndConfig = args[i].split(":", 2);
      Map<String, String> config = new HashMap<>();
      // Every topic, as in the chart (issue 9): acknowledged writes are on min.insync.replicas replicas, and a replica
      // that missed writes never becomes leader.
      config.put("min.insync.replicas", args[3]);
      config.put("unclean.leader.election.enable", "false");
      if (nameAndConfig.length == 2) {
        for (String setting : nameAndConfig[1].split(",")) {
          String[] kv = setting.split("=", 2);
          config.put(kv[0], kv[1]);
        }
      }
      topics.put(nameAndConfig[0], config);
    }
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    try (Admin client = Admin.create(admin)) {
      List<NewTopic> missing = new ArrayList<>();
      topics.forEach((name, config) -> missing.add(new NewTopic(name, partitions, replication).configs(config)));
      int created = 0;
      for (var result : client.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get();
          created++;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
      topics.forEach(
          (name, config) ->
              alter.put(
                  new ConfigResource(ConfigResource.Type.TOPIC, name),
                  config.entrySet().stream()
                      .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                      .toList()));
      client.incrementalAlterConfigs(alter).all().get();
      System.out.printf("topics: %d created, %d configured (partitions %d, replication %d, min.insync.replicas %s)%n",
          created, topics.size(), partitions, replication, args[3]);
    }
  }
}
