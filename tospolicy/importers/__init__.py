"""Importers: declarations and rule packs from other tools' files (`tospolicy import`)."""
