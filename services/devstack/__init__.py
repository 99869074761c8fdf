"""Local development and test tooling: real PostgreSQL and NATS on this machine, the `make run`
orchestrator and the demo region. Not deployed: production uses the operator's PostgreSQL and NATS."""
