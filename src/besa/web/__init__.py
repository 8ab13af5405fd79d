"""HTML views for operators, coordinators, oversight bodies and citizens."""
