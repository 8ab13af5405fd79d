"""BESA: Electronic Procurement Tracking Logbook (Bitácora Electrónica de Seguimiento de
Adquisiciones)."""

__version__ = "0.1.0"
