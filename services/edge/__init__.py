"""The edge: the HTTP face of Zorgketen (portal, portal API, partner webservices). It holds no business
rules: it checks who the caller is and translates HTTP to gRPC calls on the services."""
