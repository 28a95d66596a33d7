"""Pictures people read: a service's data-use label and the diagram of its data flows.

label.py turns a service into the label (plain dataclasses, phrases.py
supplies the words); flows.py into its flow graph, laid out by layout.py for
the HTML page's SVG or written by mermaid.py as a Mermaid flowchart; page.py
fills the templates; changes.py draws a change between two versions for the
semantic diff.
"""
