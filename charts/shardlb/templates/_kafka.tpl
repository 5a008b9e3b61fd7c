{{/* The static part of every in-release broker's server.properties (node.id and advertised.listeners are added per pod). */}}
{{- define "shardlb.kafka.serverProperties" -}}
{{- $n := int .Values.kafka.replicas }}
{{- $rf := min 3 $n }}
{{- $minIsr := ternary 2 1 (ge $n 3) }}
{{- $voters := list }}
{{- range $i := until $n }}
{{- $voters = append $voters (printf "%d@%s:9093" $i (include "shardlb.kafka.host" (dict "root" $ "i" $i))) }}
{{- end -}}
process.roles=broker,controller
controller.quorum.voters={{ join "," $voters }}
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=/var/lib/kafka/data
# shardlb creates its topics itself, with their settings and explicit replica assignment; a mistyped
# topic prefix must not create topics silently.
auto.create.topics.enable=false
num.partitions=1
default.replication.factor={{ $rf }}
min.insync.replicas={{ $minIsr }}
offsets.topic.replication.factor={{ $rf }}
transaction.state.log.replication.factor={{ $rf }}
transaction.state.log.min.isr={{ $minIsr }}
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
# Fast fencing of a dead broker: its partitions get new leaders and it leaves their ISRs after this long.
broker.session.timeout.ms={{ .Values.kafka.brokerSessionTimeoutMs }}
broker.heartbeat.interval.ms={{ .Values.kafka.brokerHeartbeatIntervalMs }}
# A dead planner's open transaction stalls plan readers until aborted: look for expired ones often.
transaction.abort.timed.out.transaction.cleanup.interval.ms={{ .Values.kafka.abortedTransactionCleanupIntervalMs }}
{{- range $k := keys .Values.kafka.config | sortAlpha }}
{{ $k }}={{ get $.Values.kafka.config $k }}
{{- end }}
{{- end -}}

{{/* The kafka-acls.sh lines of README.md ("Kafka ACLs") with the release's prefix and principals; $A is the command with its admin login. */}}
{{- define "shardlb.kafkaAclScript" -}}
{{- $p := .Values.kafka.topicPrefix }}
{{- $c := .Values.kafka.acls.controllerPrincipal }}
{{- $a := .Values.kafka.acls.agentPrincipal -}}
A="/opt/kafka/bin/kafka-acls.sh --bootstrap-server {{ include "shardlb.kafka.bootstrap" . }} --command-config /etc/shardlb/kafka/admin/admin.properties"
$A --add --allow-principal {{ $c }} --operation Create --operation Describe --operation Read --topic {{ $p }} --resource-pattern-type prefixed
$A --add --allow-principal {{ $c }} --operation Write --topic {{ $p }}events
$A --add --allow-principal {{ $c }} --operation Write --topic {{ $p }}plan
$A --add --allow-principal {{ $c }} --operation Write --topic {{ $p }}snapshots
$A --add --allow-principal {{ $c }} --operation Write --operation Describe --transactional-id {{ $p }}planner
$A --add --allow-principal {{ $a }} --operation Describe --topic {{ $p }} --resource-pattern-type prefixed
$A --add --allow-principal {{ $a }} --operation Read --topic {{ $p }}plan
$A --add --allow-principal {{ $a }} --operation Read --topic {{ $p }}snapshots
$A --add --allow-principal {{ $a }} --operation Write --topic {{ $p }}heartbeats
{{- end -}}
