"""CompraNet's flat "Contratos" export: a pure parser (``contracts``) and the registration of
the rows BESA must track (``register``). See docs/interop/lists.md."""
