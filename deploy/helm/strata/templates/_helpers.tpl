{{- define "strata.fullname" -}}
{{- printf "%s-admission" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "strata.labels" -}}
app.kubernetes.io/name: strata-admission
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "strata.selector" -}}
app.kubernetes.io/name: strata-admission
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "strata.tlsSecret" -}}
{{- default (printf "%s-tls" (include "strata.fullname" .)) .Values.tls.secretName -}}
{{- end -}}
