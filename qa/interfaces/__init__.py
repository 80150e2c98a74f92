"""How people and programs reach the engine: the command line, the chat page and its answering worker."""
