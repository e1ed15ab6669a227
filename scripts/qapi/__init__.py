# numbat's QAPI code generator: schema parser, semantic checks and C back ends.
