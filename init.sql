-- Schema of the voting database. Applied by `make up`, by the MySQL container
-- at first start, and by the test harness; every statement is idempotent.

-- Every accepted vote, once: a redelivered message finds its vote_id here.
CREATE TABLE IF NOT EXISTS votes (
    vote_id     CHAR(32)     NOT NULL,
    voter_id    VARCHAR(64)  NOT NULL,
    choice      VARCHAR(32)  NOT NULL,
    cast_at     DATETIME(6)  NOT NULL,
    request_id  VARCHAR(64)  NULL,
    recorded_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (vote_id),
    KEY ix_votes_voter_id (voter_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The choice that counts for each voter: the one cast last.
CREATE TABLE IF NOT EXISTS voter_choices (
    voter_id VARCHAR(64) NOT NULL,
    choice   VARCHAR(32) NOT NULL,
    cast_at  DATETIME(6) NOT NULL,
    vote_id  CHAR(32)    NOT NULL,
    PRIMARY KEY (voter_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Current count per option, changed in the same transaction as the rows above,
-- so reading results costs the same however many votes there are.
CREATE TABLE IF NOT EXISTS tallies (
    choice VARCHAR(32) NOT NULL,
    votes  BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (choice)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
