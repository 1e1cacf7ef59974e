package dev.posenc.models.cli;

/** The values of {@code --backend}; lower case because they are what the user types. */
public enum BackendKind { cpu, cuda }
