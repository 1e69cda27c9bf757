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
  value: {{ .root.Values.database.user | quote }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.database.passwordSecret.name }}
      key: {{ .root.Values.database.passwordSecret.key }}
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

{{- define "cascade.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 185
  runAsGroup: 0
{{- end }}

{{- define "cascade.containerSecurityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]
{{- end }}
