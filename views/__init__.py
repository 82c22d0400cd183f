"""Views: pages and pictures made from the knowledge graph."""
