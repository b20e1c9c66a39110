"""Reports: the administrative documents (KH, TB, BB, BC), their replaceable templates, and dashboards."""
