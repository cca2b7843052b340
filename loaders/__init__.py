"""Source readers (text, HTML, JSONL/CSV dumps, RSS/Atom feeds, archives, GDELT), installed as
``graphkg.loaders`` and registered as entry points (``graphkg plugins``).

They import only graphkg's public modules (errors, model, plugins, vocab, resolve) and each
other relatively; nothing in graphkg imports them except through the plugin registry.
"""

if __name__ != "graphkg.loaders":
    raise ImportError(
        f"the loaders/ folder is the package 'graphkg.loaders', not {__name__!r}: install graphkg "
        "(pip install -e .) and import graphkg.loaders instead")
