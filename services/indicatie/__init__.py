"""The indicatie service: cliënten, meldingen, samenwerkingstrajecten and beschikkingen."""
