"""Front end for program staff and reviewers (no models of its own).

Empty until the staff and reviewer workspace is built; the Django admin serves staff
meanwhile.
"""
