"""The citizens' portal: public search and contract pages, downloads, no login."""
