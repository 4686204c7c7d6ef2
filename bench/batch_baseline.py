"""The minimal batch-scoring script that bench/batch.mjs compares the generated `predict` with.

What a user would write first around a saved pipeline: read the whole CSV, predict the class
probabilities, add them as columns, write the CSV. Run with the project's own interpreter:

    .venv/bin/python bench/batch_baseline.py MODEL.joblib INPUT.csv OUTPUT.csv
"""

import sys

import joblib
import pandas as pd

model, source, output = sys.argv[1:4]
pipeline = joblib.load(model)
frame = pd.read_csv(source)
probabilities = pipeline.predict_proba(frame)
frame["prediction"] = pipeline.classes_[probabilities.argmax(axis=1)]
for index, name in enumerate(pipeline.classes_):
    frame[f"proba_{name}"] = probabilities[:, index]
frame.to_csv(output, index=False)
