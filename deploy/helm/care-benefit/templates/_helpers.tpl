{{/* Names, labels and the pieces every workload shares. */}}

{{- define "cb.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Kafka model generated from the code (deploy/generate_kafka.py). */}}
{{- define "cb.kafkaModel" -}}
{{- .Files.Get "files/kafka.yaml" -}}
{{- end -}}

{{- define "cb.kafkaCluster" -}}
{{- default (include "cb.fullname" .) .Values.kafka.clusterName -}}
{{- end -}}

{{- define "cb.kafkaBootstrap" -}}
{{- printf "%s-kafka-bootstrap.%s.svc:%d" (include "cb.kafkaCluster" .) .Release.Namespace (int .Values.kafka.listenerPort) -}}
{{- end -}}

{{/* dict "root" $ "app" <name> */}}
{{- define "cb.appName" -}}
{{- printf "%s-%s" (include "cb.fullname" .root) .app -}}
{{- end -}}

{{- define "cb.dbCluster" -}}
{{- printf "%s-%s-db" (include "cb.fullname" .root) .app -}}
{{- end -}}

{{- define "cb.commonLabels" -}}
{{ include "cb.releaseSelector" . }}
{{ include "cb.extraLabels" . }}
{{- end -}}

{{/* The labels besides the selectors (pod templates add these to their selector's). */}}
{{- define "cb.extraLabels" -}}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: care-benefit
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Every pod of this release (the default-deny policy selects these). */}}
{{- define "cb.releaseSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The pods that run as one app's identity: its Deployment's and its jobs'.
     dict "root" $ "app" <name> */}}
{{- define "cb.appSelector" -}}
{{ include "cb.releaseSelector" .root }}
care-benefit/app: {{ .app }}
{{- end -}}

{{/* The serving pods of one app (its Deployment), what Services and PDBs select. */}}
{{- define "cb.serverSelector" -}}
{{ include "cb.appSelector" . }}
care-benefit/workload: server
{{- end -}}

{{- define "cb.image" -}}
{{- $image := .Values.image -}}
{{- $repository := required "image.repository: the image with the workspace installed (deploy/README.md)" $image.repository -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{/* A consumer may not have more replicas than the partitions it reads.
     dict "root" $ "app" <name> "values" <app values> */}}
{{- define "cb.checkReplicas" -}}
{{- $model := include "cb.kafkaModel" .root | fromYaml -}}
{{- $consumer := get $model.consumers .app -}}
{{- if $consumer -}}
{{- $max := int $consumer.maxReplicas -}}
{{- if gt (int .values.replicas) $max -}}
{{- fail (printf "apps.%s.replicas is %d but it consumes topics with %d partitions: at most %d replicas can share the work" .app (int .values.replicas) $max $max) -}}
{{- end -}}
{{- if and .values.autoscaling.enabled (gt (int .values.autoscaling.maxReplicas) $max) -}}
{{- fail (printf "apps.%s.autoscaling.maxReplicas is %d but it consumes topics with %d partitions" .app (int .values.autoscaling.maxReplicas) $max) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Secret one app's database role password is in. dict "root" $ "app" <name> "role" runtime|migrator */}}
{{- define "cb.dbSecret" -}}
{{- $suffix := ternary .root.Values.postgres.runtimeSecretSuffix .root.Values.postgres.migratorSecretSuffix (eq .role "runtime") -}}
{{- printf "%s%s" (include "cb.dbCluster" .) $suffix -}}
{{- end -}}

{{- define "cb.dbRole" -}}
{{- printf "%s_%s" .database .role -}}
{{- end -}}

{{/* postgresql://<role>:$(<password var>)@<cluster>-rw…/<db>?sslmode=…: the password is
     substituted by the kubelet from an env var read from a Secret, never written here.
     dict "root" $ "app" <name> "database" <db> "role" runtime|migrator "passwordVar" <VAR> */}}
{{- define "cb.dbUrl" -}}
{{- $host := printf "%s-rw.%s.svc" (include "cb.dbCluster" .) .root.Release.Namespace -}}
{{- printf "postgresql://%s:$(%s)@%s:5432/%s?sslmode=%s&sslrootcert=/etc/care-benefit/postgres-ca/ca.crt" (include "cb.dbRole" .) .passwordVar $host .database .root.Values.postgres.sslmode -}}
{{- end -}}

{{/* The environment one app's programs run with (its Deployment and its jobs).
     dict "root" $ "app" <name> "values" <app values> "kafka" <bool> */}}
{{- define "cb.appEnv" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $p := $v.envPrefix -}}
{{- $s := $root.Values.settings -}}
- name: {{ $s.shared.environment }}
  value: {{ $root.Values.environment | quote }}
- name: PYTHONDONTWRITEBYTECODE
  value: "1"
- name: PYTHONUNBUFFERED
  value: "1"
{{- if $v.database }}
- name: CB_RUNTIME_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cb.dbSecret" (dict "root" $root "app" .app "role" "runtime") }}
      key: password
- name: {{ printf "%s%s" $p $s.perApp.databaseUrl }}
  value: {{ include "cb.dbUrl" (dict "root" $root "app" .app "database" $v.database "role" "runtime" "passwordVar" "CB_RUNTIME_DB_PASSWORD") | quote }}
- name: CB_MIGRATOR_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cb.dbSecret" (dict "root" $root "app" .app "role" "migrator") }}
      key: password
- name: {{ printf "%s%s" $p $s.perApp.migrationDatabaseUrl }}
  value: {{ include "cb.dbUrl" (dict "root" $root "app" .app "database" $v.database "role" "migrator" "passwordVar" "CB_MIGRATOR_DB_PASSWORD") | quote }}
{{- end }}
{{- if and .kafka $v.kafkaUser }}
- name: {{ $s.shared.kafkaBootstrapServers }}
  value: {{ include "cb.kafkaBootstrap" $root | quote }}
- name: {{ $s.shared.kafkaSecurityProtocol }}
  value: SASL_SSL
- name: {{ $s.shared.kafkaSaslMechanism }}
  value: {{ $root.Values.kafka.saslMechanism | quote }}
- name: {{ $s.shared.kafkaSslCafile }}
  value: /etc/care-benefit/kafka-ca/ca.crt
- name: {{ printf "%s%s" $p $s.perApp.kafkaUsername }}
  value: {{ $v.kafkaUser | quote }}
- name: {{ printf "%s%s" $p $s.perApp.kafkaPassword }}
  valueFrom:
    secretKeyRef:
      name: {{ $v.kafkaUser }}
      key: password
{{- end }}
{{- if $root.Values.telemetry.otlpEndpoint }}
- name: {{ $s.shared.otlpEndpoint }}
  value: {{ $root.Values.telemetry.otlpEndpoint | quote }}
{{- end }}
{{- if $v.auth }}
- name: {{ printf "%s%s" $p $s.perApp.authIssuer }}
  value: {{ required "auth.issuer: the OpenID provider that issues the services' access tokens" $root.Values.auth.issuer | quote }}
- name: {{ printf "%s%s" $p $s.perApp.authAudience }}
  value: {{ $v.auth.audience | quote }}
{{- if $v.auth.clientId }}
- name: {{ printf "%s%s" $p $s.perApp.authClientId }}
  value: {{ $v.auth.clientId | quote }}
{{- end }}
{{- with $v.auth.clientSecret }}
- name: {{ printf "%s%s" $p $s.perApp.authClientSecret }}
  valueFrom:
    secretKeyRef: {{- toYaml . | nindent 6 }}
{{- end }}
{{- end }}
{{- if eq .app "portal" }}
{{- include "cb.portalEnv" . }}
{{- end }}
{{- if $v.providerPayees }}
- name: {{ printf "%sPROVIDER_PAYEES_FILE" $p }}
  value: /etc/care-benefit/provider-payees/provider-payees.yaml
{{- end }}
{{- range $name, $value := $v.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $ref := $v.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef: {{- toYaml $ref | nindent 6 }}
{{- end }}
{{- end -}}

{{/* The portal's own: where the services are, its session secret and its sign-in providers. */}}
{{- define "cb.portalEnv" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $s := $root.Values.settings.portal -}}
{{- range $name, $app := $root.Values.apps }}
{{- if ne $name "portal" }}
{{- $key := trimSuffix "_" $app.envPrefix }}
- name: {{ printf "PORTAL_%s%s" $key $s.serviceUrlSuffix }}
  value: {{ printf "http://%s.%s.svc:%d" (include "cb.appName" (dict "root" $root "app" $name)) $root.Release.Namespace (int $root.Values.http.servicePort) | quote }}
{{- with $app.auth }}
- name: {{ printf "PORTAL_%s%s" $key $s.serviceResourceSuffix }}
  value: {{ .audience | quote }}
{{- end }}
{{- end }}
{{- end }}
- name: {{ printf "PORTAL_%s" $s.sessionSecret }}
  valueFrom:
    secretKeyRef: {{- toYaml $v.sessionSecret | nindent 6 }}
- name: {{ printf "PORTAL_%s" $s.oidcIssuer }}
  value: {{ required "apps.portal.oidc.issuer" $v.oidc.issuer | quote }}
- name: {{ printf "PORTAL_%s" $s.oidcClientId }}
  value: {{ required "apps.portal.oidc.clientId: the portal's client id at GOV.UK One Login" $v.oidc.clientId | quote }}
- name: {{ printf "PORTAL_%s" $s.oidcPrivateKeyFile }}
  value: /etc/care-benefit/oidc/private-key.pem
{{- with $v.staffOidc }}
{{- if .issuer }}
- name: {{ printf "PORTAL_%s" $s.staffOidcIssuer }}
  value: {{ .issuer | quote }}
{{- end }}
{{- if .clientId }}
- name: {{ printf "PORTAL_%s" $s.staffOidcClientId }}
  value: {{ .clientId | quote }}
{{- end }}
{{- if .privateKey }}
- name: {{ printf "PORTAL_%s" $s.staffOidcPrivateKeyFile }}
  value: /etc/care-benefit/staff-oidc/private-key.pem
{{- end }}
{{- end }}
{{- end -}}

{{/* Volumes for the CA certificates (only `ca.crt` of each Secret), the sign-in keys and /tmp.
     dict "root" $ "app" <name> "values" <app values> "kafka" <bool> */}}
{{- define "cb.volumes" -}}
- name: tmp
  emptyDir:
    medium: Memory
    sizeLimit: 64Mi
{{- if .values.database }}
- name: postgres-ca
  secret:
    secretName: {{ include "cb.dbCluster" . }}-ca
    items: [{key: ca.crt, path: ca.crt}]
{{- end }}
{{- if and .kafka .values.kafkaUser }}
- name: kafka-ca
  secret:
    secretName: {{ include "cb.kafkaCluster" .root }}-cluster-ca-cert
    items: [{key: ca.crt, path: ca.crt}]
{{- end }}
{{- with .values.providerPayees }}
- name: provider-payees
  secret:
    secretName: {{ .name }}
    items: [{key: {{ .key }}, path: provider-payees.yaml}]
{{- end }}
{{- if eq .app "portal" }}
- name: oidc-key
  secret:
    secretName: {{ .values.oidc.privateKey.name }}
    items: [{key: {{ .values.oidc.privateKey.key }}, path: private-key.pem}]
{{- with .values.staffOidc.privateKey }}
- name: staff-oidc-key
  secret:
    secretName: {{ .name }}
    items: [{key: {{ .key }}, path: private-key.pem}]
{{- end }}
{{- end }}
{{- end -}}

{{- define "cb.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .values.database }}
- name: postgres-ca
  mountPath: /etc/care-benefit/postgres-ca
  readOnly: true
{{- end }}
{{- if and .kafka .values.kafkaUser }}
- name: kafka-ca
  mountPath: /etc/care-benefit/kafka-ca
  readOnly: true
{{- end }}
{{- if .values.providerPayees }}
- name: provider-payees
  mountPath: /etc/care-benefit/provider-payees
  readOnly: true
{{- end }}
{{- if eq .app "portal" }}
- name: oidc-key
  mountPath: /etc/care-benefit/oidc
  readOnly: true
{{- if .values.staffOidc.privateKey }}
- name: staff-oidc-key
  mountPath: /etc/care-benefit/staff-oidc
  readOnly: true
{{- end }}
{{- end }}
{{- end -}}

{{- define "cb.podSecurity" -}}
automountServiceAccountToken: false
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
