"""Importers and exporters: OCDS, CompraNet CSV, SAT 69-B, sanctions, CFDI, TESOFE, SICOP."""
