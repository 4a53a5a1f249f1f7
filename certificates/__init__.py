"""Verifiable CEU certificates: Open Badges 3.0 credentials signed with eddsa-rdfc-2022.

The modules ``model``, ``verdict``, ``link`` and ``did_key`` use the standard library only (the
site's worker runs them too); ``contexts``, ``proof`` and ``key_file`` are the CLI's and need
``pyld`` and ``cryptography``.
"""
