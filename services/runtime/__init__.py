"""The shared runtime of every Zorgketen service: settings, gRPC bootstrap, database and unit of work,
transactional outbox, JetStream consumers, tenancy, telemetry. No domain rules live here."""
