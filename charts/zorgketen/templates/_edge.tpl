{{/* The edge's own environment: its listen address, its secrets (from Secrets), partner clients, portal login. */}}
{{- define "zorgketen.edgeEnv" -}}
- name: ZK_EDGE_HOST
  value: "0.0.0.0"
- name: ZK_EDGE_PORT
  value: {{ .Values.httpPort | quote }}
- name: ZK_INTERNAL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.existingSecret is required" .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.internalTokenKey }}
- name: ZK_EDGE_TOKEN_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.edgeTokenSecretKey }}
- name: ZK_PORTAL_SESSION_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.portalSessionSecretKey }}
- name: ZK_PORTAL_SESSION_TTL_SECONDS
  value: {{ .Values.edge.sessionTtlSeconds | quote }}
- name: ZK_TOKEN_TTL_SECONDS
  value: {{ .Values.edge.tokenTtlSeconds | quote }}
{{- if .Values.edge.partnerClients.existingSecret }}
- name: ZK_PARTNER_CLIENTS_FILE
  value: /etc/zorgketen/partners/{{ .Values.edge.partnerClients.key }}
{{- end }}
{{- if .Values.edge.portalUsers.existingSecret }}
- name: ZK_PORTAL_USERS_FILE
  value: /etc/zorgketen/users/{{ .Values.edge.portalUsers.key }}
{{- end }}
{{- if .Values.edge.oidc.issuer }}
- name: ZK_OIDC_ISSUER
  value: {{ .Values.edge.oidc.issuer | quote }}
- name: ZK_OIDC_CLIENT_ID
  value: {{ required "edge.oidc.clientId is required with an issuer" .Values.edge.oidc.clientId | quote }}
- name: ZK_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.edge.oidc.clientSecretKey }}
{{- end }}
{{- end -}}

{{- define "zorgketen.edgeMounts" -}}
{{- if .Values.edge.partnerClients.existingSecret }}
- name: partner-clients
  mountPath: /etc/zorgketen/partners
  readOnly: true
{{- end }}
{{- if .Values.edge.portalUsers.existingSecret }}
- name: portal-users
  mountPath: /etc/zorgketen/users
  readOnly: true
{{- end }}
{{- end -}}

{{- define "zorgketen.edgeVolumes" -}}
{{- if .Values.edge.partnerClients.existingSecret }}
- name: partner-clients
  secret:
    secretName: {{ .Values.edge.partnerClients.existingSecret }}
    items:
      - key: {{ .Values.edge.partnerClients.key }}
        path: {{ .Values.edge.partnerClients.key }}
{{- end }}
{{- if .Values.edge.portalUsers.existingSecret }}
- name: portal-users
  secret:
    secretName: {{ .Values.edge.portalUsers.existingSecret }}
    items:
      - key: {{ .Values.edge.portalUsers.key }}
        path: {{ .Values.edge.portalUsers.key }}
{{- end }}
{{- end -}}
