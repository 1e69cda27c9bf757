import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Which instance of a service holds a zone (deploy/local/ha-smoke.sh): the partition the producers' default
 * partitioner gives the apex as key, and the member of the consumer group that is assigned that partition of the
 * topic, named by its client id ({@code <service>-<instance>-...}, the services' {@code client-id-prefix}). Prints the
 * instance number, or nothing and exit status 1 when no member holds the partition (during a rebalance). Run with
 * the source launcher on the broker's class path:
 *
 * <pre>java -cp 'deploy/local/kafka/target/lib/*' PartitionHolder.java BOOTSTRAP SERVICE GROUP TOPIC ZONE</pre>
 */
public final class PartitionHolder {

  private PartitionHolder() {}

  public static void main(String[] args) throws InterruptedException, ExecutionException {
    if (args.length != 5) {
      System.err.println("usage: PartitionHolder BOOTSTRAP SERVICE GROUP TOPIC ZONE");
      System.exit(2);
    }
    String prefix = args[1] + "-";
    String group = args[2];
    String topic = args[3];
    byte[] key = args[4].getBytes(StandardCharsets.UTF_8);
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    try (Admin admin = Admin.create(config)) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      TopicPartition held = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions);
      Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(group)).all().get();
      for (MemberDescription member : groups.get(group).members()) {
        String client = member.clientId();
        if (client.startsWith(prefix) && member.assignment().topicPartitions().contains(held)) {
          String rest = client.substring(prefix.length());
          System.out.println(rest.substring(0, rest.indexOf('-')));
          return;
        }
      }
    }
    System.exit(1);
  }
}
