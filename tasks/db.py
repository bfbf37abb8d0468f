"""The worker's Flask-SQLAlchemy extension, built on the shared schema."""

from flask_sqlalchemy import SQLAlchemy

from common.schema import Base

db = SQLAlchemy(model_class=Base)
