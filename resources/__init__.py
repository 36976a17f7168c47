"""Library of toolkits, files and links; communities of practice."""
