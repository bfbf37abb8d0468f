"""Tables of the voting database, mirrored from ``init.sql`` (MySQL only).

The worker writes them and result_web reads them, so both build their
Flask-SQLAlchemy extension on this one declarative base.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, text
from sqlalchemy.dialects.mysql import DATETIME
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    scoped_session,
)

#: A plain session, or Flask-SQLAlchemy's request-scoped ``db.session``.
AnySession = Session | scoped_session[Any]


class Base(DeclarativeBase):
    """Declarative base for the voting tables."""


class Vote(Base):
    """One accepted vote, recorded once however often it is delivered."""

    __tablename__ = "votes"

    vote_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    voter_id: Mapped[str] = mapped_column(String(64), index=True)
    choice: Mapped[str] = mapped_column(String(32))
    cast_at: Mapped[datetime] = mapped_column(DATETIME(fsp=6))
    request_id: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(
        DATETIME(fsp=6), server_default=text("CURRENT_TIMESTAMP(6)")
    )


class VoterChoice(Base):
    """The vote that currently counts for a voter."""

    __tablename__ = "voter_choices"

    voter_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    choice: Mapped[str] = mapped_column(String(32))
    cast_at: Mapped[datetime] = mapped_column(DATETIME(fsp=6))
    vote_id: Mapped[str] = mapped_column(String(32))


class Tally(Base):
    """How many voters currently choose an option."""

    __tablename__ = "tallies"

    choice: Mapped[str] = mapped_column(String(32), primary_key=True)
    votes: Mapped[int] = mapped_column(BigInteger, default=0)
