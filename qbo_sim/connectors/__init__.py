"""Example integrations for qbo-sim: a reference field-service → QBO connector and a naive one."""
