-- ADQL's || as the TAP translator emits it: refused past 65,535 characters. Plain || let an
-- anonymous query grow a value tenfold at each level of nested subqueries (seven levels of
-- ten made one value of 564 million characters: it killed the API process reading it, and six
-- at once had the kernel kill PostgreSQL backends of 4 GB each). Bounded at each ||, no string
-- the translator lets a query build is longer than this (CAST to CHAR(n) is capped alike).
-- SQLSTATE 54000 (program_limit_exceeded): the TAP layer answers it as the client's mistake.
CREATE FUNCTION ivoa.adql_concat(a text, b text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF coalesce(length(a), 0) + coalesce(length(b), 0) > 65535 THEN
    RAISE EXCEPTION 'a string concatenation (||) in the query grew past 65,535 characters'
      USING ERRCODE = '54000';
  END IF;
  RETURN a || b;
END $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ivoa.adql_concat(text, text) TO astroarchive_tap_anon, astroarchive_tap_token;
