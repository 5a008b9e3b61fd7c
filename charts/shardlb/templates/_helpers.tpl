{{/* Names, labels and the values every template shares. */}}

{{- define "shardlb.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "shardlb.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: shardlb
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "controller"). */}}
{{- define "shardlb.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The agent pods' selector: the release's labels plus agent.selector (what the controller watches). */}}
{{- define "shardlb.agentSelectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- range $k, $v := .Values.agent.selector }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* --agentSelector: k=v,k=v in key order (the labels above). */}}
{{- define "shardlb.agentSelectorFlag" -}}
{{- $sel := fromYaml (include "shardlb.agentSelectorLabels" .) -}}
{{- $parts := list -}}
{{- range $k := keys $sel | sortAlpha -}}
{{- $parts = append $parts (printf "%s=%s" $k (get $sel $k)) -}}
{{- end -}}
{{- join "," $parts -}}
{{- end -}}

{{- define "shardlb.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "shardlb.kafka.name" -}}
{{- printf "%s-kafka" (include "shardlb.fullname" .) -}}
{{- end -}}

{{- define "shardlb.kafka.headless" -}}
{{- printf "%s-kafka-headless" (include "shardlb.fullname" .) -}}
{{- end -}}

{{/* One in-release broker's stable DNS name: (dict "root" $ "i" 0). */}}
{{- define "shardlb.kafka.host" -}}
{{- printf "%s-%d.%s.%s.svc.%s" (include "shardlb.kafka.name" .root) (int .i) (include "shardlb.kafka.headless" .root) .root.Release.Namespace .root.Values.clusterDomain -}}
{{- end -}}

{{/* The bootstrap servers: kafka.bootstrap, or every in-release broker. */}}
{{- define "shardlb.kafka.bootstrap" -}}
{{- if .Values.kafka.bootstrap -}}
{{- .Values.kafka.bootstrap | nospace -}}
{{- else -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.kafka.replicas) -}}
{{- $hosts = append $hosts (printf "%s:9092" (include "shardlb.kafka.host" (dict "root" $ "i" $i))) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}
{{- end -}}

{{- define "shardlb.logUri" -}}
{{- printf "kafka://%s" (include "shardlb.kafka.bootstrap" .) -}}
{{- end -}}

{{/* KRaft cluster id: kafka.clusterId, or 21 hex digits of a hash of the release plus "A" (a valid base64url UUID). */}}
{{- define "shardlb.kafka.clusterId" -}}
{{- if .Values.kafka.clusterId -}}
{{- .Values.kafka.clusterId -}}
{{- else -}}
{{- printf "%sA" (sha256sum (printf "%s/%s" .Release.Namespace .Release.Name) | trunc 21) -}}
{{- end -}}
{{- end -}}

{{/* Pools as one comma-separated flag value, whether given as a string or a list. */}}
{{- define "shardlb.pools" -}}
{{- if kindIs "slice" . -}}
{{- join "," . -}}
{{- else -}}
{{- . | toString | nospace -}}
{{- end -}}
{{- end -}}

{{/* The Kafka client properties of a component (common, then the component's): (dict "root" $ "component" .Values.agent). */}}
{{- define "shardlb.kafkaClientProperties" -}}
{{- $props := merge (deepCopy .component.kafkaClient.properties) (deepCopy .root.Values.kafka.client.properties) -}}
{{- range $k := keys $props | sortAlpha }}
{{ $k }}={{ get $props $k }}
{{- end }}
{{- end -}}

{{/* Whether a component passes --logProperties: it has properties of its own or shared ones. */}}
{{- define "shardlb.hasKafkaClientProperties" -}}
{{- if or .root.Values.kafka.client.properties .component.kafkaClient.properties -}}true{{- end -}}
{{- end -}}

{{/* Checks the schema cannot express; a bad combination stops the install with a message naming the values. */}}
{{- define "shardlb.validate" -}}
{{- if le (int .Values.agent.terminationGracePeriodSeconds) (int .Values.agent.drainTimeoutSeconds) -}}
{{- fail (printf "agent.terminationGracePeriodSeconds (%d) must exceed agent.drainTimeoutSeconds (%d), or a draining agent is killed" (int .Values.agent.terminationGracePeriodSeconds) (int .Values.agent.drainTimeoutSeconds)) -}}
{{- end -}}
{{- if and .Values.kafka.acls.enabled (not .Values.kafka.acls.adminSecret) -}}
{{- fail "kafka.acls.enabled needs kafka.acls.adminSecret: a Secret with admin.properties, the Kafka admin client settings the ACL Job logs in with" -}}
{{- end -}}
{{- end -}}

{{/* Labels of an agent pod: its selector (which wins), the common labels, component=agent. */}}
{{- define "shardlb.agentPodLabels" -}}
{{- $labels := merge (fromYaml (include "shardlb.agentSelectorLabels" .)) (fromYaml (include "shardlb.labels" .)) (dict "app.kubernetes.io/component" "agent") -}}
{{- toYaml $labels -}}
{{- end -}}

{{/* The log flags for a shardlb command run inside the controller pod (NOTES). */}}
{{- define "shardlb.cliLog" -}}
--log {{ include "shardlb.logUri" . }}
{{- if ne .Values.kafka.topicPrefix "shardlb." }} --topicPrefix={{ .Values.kafka.topicPrefix }}{{ end }}
{{- if include "shardlb.hasKafkaClientProperties" (dict "root" . "component" .Values.controller) }} --logProperties=/etc/shardlb/kafka/client/client.properties{{ end }}
{{- end -}}
