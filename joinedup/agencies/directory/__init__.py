"""The service directory: who offers what, where and when, in HSDS 3 (Open Referral UK) shapes.

Field names and meanings come from the Human Services Data Specification and its Open Referral UK
profile, CC-BY-SA-4.0, copyright the Open Referral project (https://openreferral.org).
"""
