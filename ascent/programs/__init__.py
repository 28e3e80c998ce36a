"""Programs and their cycles: form, requirements, rubric and stages."""
