"""The models match ``init.sql``: same tables, columns and primary keys."""

from sqlalchemy import create_engine, inspect

from common.schema import Base
from common.settings import MysqlSettings


def test_models_match_init_sql(mysql_settings: MysqlSettings) -> None:
    engine = create_engine(mysql_settings.url)
    inspector = inspect(engine)
    try:
        assert set(inspector.get_table_names()) == set(Base.metadata.tables)
        for name, table in Base.metadata.tables.items():
            columns = {column["name"]: column for column in inspector.get_columns(name)}
            assert set(columns) == set(table.columns.keys()), name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (
                    f"{name}.{column.name}"
                )
            primary = inspector.get_pk_constraint(name)["constrained_columns"]
            assert primary == [column.name for column in table.primary_key], name
    finally:
        engine.dispose()
