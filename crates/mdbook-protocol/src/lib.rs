//! mdBook preprocessor: Mermaid-compatible sequence and protocol diagrams as inline SVG.
