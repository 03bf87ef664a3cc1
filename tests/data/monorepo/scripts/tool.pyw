MODEL = "gpt-4"  # not read: only services/b extends include to *.pyw
