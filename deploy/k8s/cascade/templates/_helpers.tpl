{{/*
Labels of every object. app = the service directory = quarkus.application.name (house-style §5).
*/}}
{{- define "cascade.labels" -}}
app: {{ .name }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: cascade
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{- define "cascade.selector" -}}
app: {{ .name }}
app.kubernetes.io/part-of: cascade
{{- end }}

{{- define "cascade.image" -}}
{{ .root.Values.image.repository }}/{{ .name }}:{{ .root.Values.image.tag }}
{{- end }}

{{/*
Environment every service reads (the ${NAME:default} placeholders of its application.properties).
*/}}
{{- define "cascade.commonEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: APICURIO_REGISTRY_URL
  value: {{ .root.Values.registry.url | quote }}
- name: DB_URL
  value: {{ .root.Values.database.url | quote }}
- name: DB_USER
  value: {{ include "cascade.databaseRole" .name | quote }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.database.passwordSecret.name }}
      key: {{ .name }}
- name: OTEL_EXPORTER_ENABLED
  value: {{ .root.Values.otel.enabled | quote }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .root.Values.otel.endpoint | quote }}
{{- end }}

{{- define "cascade.kekEnv" -}}
- name: CASCADE_KEY_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.keyEncryptionKey.secret.name }}
      key: {{ .root.Values.keyEncryptionKey.secret.key }}
- name: CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.keyEncryptionKey.secret.name }}
      key: {{ .root.Values.keyEncryptionKey.secret.previousKey }}
      optional: true
{{- end }}

{{/*
Probes on the SmallRye Health endpoints every service has (quarkus-smallrye-health); readiness includes the Kafka
connection and the reactive PostgreSQL pool, so a pod takes no traffic before it can do its work.
*/}}
{{- define "cascade.probes" -}}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  initialDelaySeconds: 5
  periodSeconds: 10
  failureThreshold: 3
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  initialDelaySeconds: 30
  periodSeconds: 20
  failureThreshold: 3
{{- end }}

{{- define "cascade.strategy" -}}
strategy:
  type: RollingUpdate
  rollingUpdate:
    maxSurge: 1
    maxUnavailable: 0
{{- end }}

{{/*
Pod Security Standards "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards): not root, the
runtime's default seccomp profile; in each container no privilege escalation, no capabilities, and a read-only root
file system (what a container writes goes to its /tmp emptyDir). 185 is the user of the Quarkus images; "runAsUser"
is the user of another image (the topic Job's Kafka image).
*/}}
{{- define "cascade.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .runAsUser | default 185 }}
  runAsGroup: 0
  seccompProfile:
    type: RuntimeDefault
{{- end }}

{{- define "cascade.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: [ALL]
{{- end }}

{{/* The writable /tmp of a container with a read-only root file system: its mount, and its volume. */}}
{{- define "cascade.tmpMount" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end }}
{{- define "cascade.tmpVolume" -}}
volumes:
  - name: tmp
    emptyDir: {}
{{- end }}

{{/*
Replicas of one service on different nodes (ha.antiAffinity): a node that fails, or is drained, takes one replica
with it, never all. "soft" asks the scheduler (preferred), so a cluster with fewer nodes than replicas still runs
them all; "hard" requires it, so a replica with no free node stays Pending.
*/}}
{{- define "cascade.affinity" -}}
{{- $selector := dict "matchLabels" (dict "app" .name "app.kubernetes.io/part-of" "cascade") }}
{{- $term := dict "labelSelector" $selector "topologyKey" "kubernetes.io/hostname" -}}
affinity:
  podAntiAffinity:
  {{- if eq .root.Values.ha.antiAffinity "hard" }}
    requiredDuringSchedulingIgnoredDuringExecution:
      - {{- toYaml $term | nindent 8 }}
  {{- else if eq .root.Values.ha.antiAffinity "soft" }}
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          {{- toYaml $term | nindent 10 }}
  {{- else }}
  {{- fail (printf "ha.antiAffinity is %q: it must be \"soft\" or \"hard\"" .root.Values.ha.antiAffinity) }}
  {{- end }}
{{- end }}

{{/*
A service's replica count. Loader, signer and keymanager share the zones out by partition in one consumer group
(docs/architecture.md, "Replicas"): a replica beyond the partition count would get no partition and do nothing,
so such a count is refused rather than silently wasted.
*/}}
{{- define "cascade.replicas" -}}
{{- $svc := index .root.Values.services .name }}
{{- $replicas := int $svc.replicas }}
{{- if lt $replicas 1 }}
{{- fail (printf "services.%s.replicas is %d: at least 1" .name $replicas) }}
{{- end }}
{{- $partitioned := list "loader" "signer" "keymanager" }}
{{- $partitions := int .root.Values.kafka.topics.partitions }}
{{- if and (has .name $partitioned) (gt $replicas $partitions) }}
{{- fail (printf "services.%s.replicas is %d, more than the %d partitions the zones are shared out by"
    .name $replicas $partitions) }}
{{- end }}
{{- $replicas }}
{{- end }}

{{/*
The database role of a service: cascade_<service>, "-" as "_" (service-support's DatabaseRoles.ALL).
*/}}
{{- define "cascade.databaseRole" -}}
cascade_{{ . | replace "-" "_" }}
{{- end }}
