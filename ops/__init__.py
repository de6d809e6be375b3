"""Operations: settings, the command line, wiring, migrations and benchmarks."""
