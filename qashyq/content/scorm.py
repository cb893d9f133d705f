"""SCORM 1.2 and 2004 packages: validation, unpacking, manifest reading and the runtime data."""
