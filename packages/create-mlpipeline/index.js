#!/usr/bin/env node
// `npm init mlpipeline [directory] [options]` runs this: npm maps it to the package create-mlpipeline.
// Everything is generator-mlpipeline's own CLI; this package only gives it the name npm init looks for.
import 'generator-mlpipeline/cli';
