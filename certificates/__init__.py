"""Credit rules, eligibility, PDF certificates, verification."""
