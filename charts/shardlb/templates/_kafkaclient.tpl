{{/* The --log flags every component passes: (dict "root" $ "component" .Values.agent). */}}
{{- define "shardlb.logArgs" -}}
- --log={{ include "shardlb.logUri" .root }}
- --topicPrefix={{ .root.Values.kafka.topicPrefix }}
- --heartbeatPartitions={{ .root.Values.kafka.heartbeatPartitions }}
{{- if include "shardlb.hasKafkaClientProperties" . }}
- --logProperties=/etc/shardlb/kafka/client/client.properties
{{- end }}
{{- end -}}

{{/* Volume mounts for the Kafka client files: (dict "root" $ "component" .Values.agent). */}}
{{- define "shardlb.kafkaClientMounts" -}}
{{- if include "shardlb.hasKafkaClientProperties" . }}
- name: kafka-client
  mountPath: /etc/shardlb/kafka/client
  readOnly: true
{{- end }}
{{- if .root.Values.kafka.client.tlsSecret }}
- name: kafka-tls
  mountPath: /etc/shardlb/kafka/tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* Volumes for the Kafka client files: (dict "root" $ "component" .Values.agent "name" "agent"). */}}
{{- define "shardlb.kafkaClientVolumes" -}}
{{- if include "shardlb.hasKafkaClientProperties" . }}
- name: kafka-client
  secret:
    secretName: {{ include "shardlb.fullname" .root }}-{{ .name }}-kafka-client
{{- end }}
{{- if .root.Values.kafka.client.tlsSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .root.Values.kafka.client.tlsSecret }}
{{- end }}
{{- end -}}
