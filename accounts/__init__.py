"""Users (e-mail login), programs (the tenants) and program roles."""
