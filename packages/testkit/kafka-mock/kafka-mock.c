/*
 * A real Kafka wire-protocol broker for tests: librdkafka's mock cluster (Debian's librdkafka-dev).
 * Apache Kafka cannot be installed on these machines; this speaks the same protocol on localhost
 * ports, so kafkajs produces, joins groups, commits and gets redeliveries for real.
 *
 *   kafka-mock <brokers> <partitions> <topic>...
 *
 * Prints the bootstrap servers on the first line of stdout, then serves until stdin closes (so it
 * never outlives the test process that started it).
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  int partitions = argc > 2 ? atoi(argv[2]) : 3;
  char errstr[512];

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "kafka-mock: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers > 0 ? brokers : 1);
  if (!cluster) {
    fprintf(stderr, "kafka-mock: cannot create the mock cluster\n");
    return 1;
  }
  for (int i = 3; i < argc; i++) {
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, argv[i], partitions, 1);
    if (err) {
      fprintf(stderr, "kafka-mock: topic %s: %s\n", argv[i], rd_kafka_err2str(err));
      return 1;
    }
  }
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char buffer[256];
  while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
