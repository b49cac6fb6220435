"""No models: the groups, workflow and collections are data, created by the migrations.

This module exists so that Django sends this app its `post_migrate` signal (see apps.py).
"""
