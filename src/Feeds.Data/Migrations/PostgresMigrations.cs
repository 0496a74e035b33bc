namespace Feeds.Data.Migrations;

/// <summary>
/// The PostgreSQL schema's history, in step with <see cref="SqliteMigrations"/>: the same versions, names, tables and
/// columns. Integers are <c>bigint</c>, as SQLite's are 64-bit, so every count and flag reads back as the same .NET type;
/// bytes are <c>bytea</c>; times, ids and statuses are text, as in SQLite (<see cref="StoredValues"/>).
/// </summary>
public static class PostgresMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "posts, tags, tokens, idempotency keys", """
            create table posts (
                id text primary key,
                slug text not null unique,
                link_url text not null,
                link_title text not null,
                via_url text null,
                via_title text null,
                commentary_md text not null,
                commentary_html text not null,
                status text not null check (status in ('draft', 'scheduled', 'published')),
                publish_at text null,
                published_at text null,
                sort_at text not null,
                created_at text not null,
                updated_at text not null,
                deleted_at text null,
                source_id bigint null
            );
            create index ix_posts_sort on posts (sort_at, id);
            create index ix_posts_status_sort on posts (status, sort_at, id);

            create table tags (
                slug text primary key,
                name text not null,
                created_at text not null
            );

            create table tag_aliases (
                old_slug text primary key,
                slug text not null references tags (slug) on update cascade on delete cascade
            );

            create table post_tags (
                post_id text not null references posts (id) on delete cascade,
                tag_slug text not null references tags (slug) on update cascade,
                position bigint not null,
                primary key (post_id, tag_slug)
            );
            create index ix_post_tags_tag on post_tags (tag_slug, post_id);

            create table api_tokens (
                id text primary key,
                name text not null,
                token_hash text not null unique,
                created_at text not null,
                last_used_at text null,
                revoked_at text null
            );

            create table idempotency_keys (
                idempotency_key text primary key,
                request_hash text not null,
                post_id text not null,
                created_at text not null
            );
            """),
        new(2, "rendered feeds and the dirty set", """
            create table feed_documents (
                feed_key text not null,
                format text not null,
                body bytea not null,
                body_gzip bytea not null,
                body_brotli bytea not null,
                etag text not null,
                last_modified text not null,
                entry_count bigint not null,
                primary key (feed_key, format)
            );

            create table dirty_feeds (
                feed_key text primary key,
                marked_at text not null
            );

            create table feed_settings (
                name text primary key,
                value text not null
            );

            create index ix_posts_published on posts (status, published_at, id);
            """),
        new(3, "webhook endpoints, outbox messages, delivery attempts", """
            create table webhook_endpoints (
                id text primary key,
                url text not null,
                status text not null check (status in ('enabled', 'disabled')),
                disabled_reason text null,
                disabled_at text null,
                failing_since text null,
                secret text not null,
                previous_secret text null,
                previous_secret_expires_at text null,
                created_at text not null,
                updated_at text not null
            );

            create table webhook_endpoint_events (
                endpoint_id text not null references webhook_endpoints (id) on delete cascade,
                event_type text not null,
                primary key (endpoint_id, event_type)
            );

            create table webhook_endpoint_tags (
                endpoint_id text not null references webhook_endpoints (id) on delete cascade,
                tag_slug text not null,
                primary key (endpoint_id, tag_slug)
            );
            create index ix_webhook_endpoint_tags_tag on webhook_endpoint_tags (tag_slug, endpoint_id);

            create table webhook_messages (
                id text primary key,
                endpoint_id text not null references webhook_endpoints (id) on delete cascade,
                event_type text not null,
                post_id text null,
                body text not null,
                status text not null check (status in ('pending', 'delivered', 'failed')),
                attempt_count bigint not null,
                retry_step bigint not null,
                next_attempt_at text null,
                last_attempt_at text null,
                delivered_at text null,
                created_at text not null,
                updated_at text not null
            );
            create index ix_webhook_messages_due on webhook_messages (status, next_attempt_at);
            create index ix_webhook_messages_endpoint on webhook_messages (endpoint_id, status, id);

            create table webhook_attempts (
                id text primary key,
                message_id text not null references webhook_messages (id) on delete cascade,
                endpoint_id text not null references webhook_endpoints (id) on delete cascade,
                attempted_at text not null,
                duration_ms bigint not null,
                status_code bigint null,
                error_class text null,
                error text null,
                response_excerpt text null
            );
            create index ix_webhook_attempts_endpoint on webhook_attempts (endpoint_id, id);
            create index ix_webhook_attempts_message on webhook_attempts (message_id, id);
            """),
        new(4, "followed sources, their tags and the items they have seen", """
            create table id_sequences (
                name text primary key,
                last_value bigint not null
            );
            insert into id_sequences (name, last_value) values ('sources', 0);

            create table sources (
                id bigint primary key,
                url text not null unique,
                site_url text null,
                title text null,
                feed_title text null,
                mode text not null check (mode in ('draft', 'publish')),
                interval_minutes bigint not null,
                backfill bigint not null,
                created_at text not null,
                updated_at text not null,
                etag text null,
                last_modified text null,
                body_sha256 text null,
                suggested_interval_minutes bigint null,
                last_status bigint null,
                last_checked_at text null,
                last_success_at text null,
                next_check_at text null,
                error_count bigint not null,
                last_error text null,
                stopped bigint not null
            );
            create index ix_sources_due on sources (stopped, next_check_at);

            create table source_tags (
                source_id bigint not null references sources (id) on delete cascade,
                tag_slug text not null,
                tag_name text not null,
                position bigint not null,
                primary key (source_id, tag_slug)
            );

            create table source_items (
                source_id bigint not null references sources (id) on delete cascade,
                dedupe_key text not null,
                post_id text null,
                content_hash text not null,
                first_seen_at text not null,
                primary key (source_id, dedupe_key)
            );
            create index ix_posts_source on posts (source_id, sort_at, id);
            """),
        new(5, "whether a source's interval was chosen, and why it waits as long as it does", """
            alter table sources add column interval_chosen bigint not null default 1;
            alter table sources add column suggested_by text null;
            alter table sources add column effective_interval_minutes bigint null;
            alter table sources add column interval_reason text null;
            """),
        new(6, "dirty marks counted, so a mark made while a render runs is never taken for the one it answered", """
            alter table dirty_feeds add column mark bigint not null default 0;
            """),
        new(7, "the outbox every kind of delivery shares, its attempt log, and WebSub subscriptions", """
            create table deliveries (
                id text primary key,
                kind text not null,
                destination text not null,
                coalesce_key text null,
                payload text not null,
                revision bigint not null,
                status text not null check (status in ('pending', 'delivered', 'failed')),
                attempt_count bigint not null,
                retry_step bigint not null,
                next_attempt_at text null,
                last_attempt_at text null,
                delivered_at text null,
                created_at text not null,
                updated_at text not null
            );
            create unique index ux_deliveries_coalesce on deliveries (coalesce_key);
            create index ix_deliveries_due on deliveries (status, next_attempt_at);
            create index ix_deliveries_destination on deliveries (kind, destination, status);

            create table delivery_attempts (
                id text primary key,
                delivery_id text not null references deliveries (id) on delete cascade,
                kind text not null,
                destination text not null,
                attempted_at text not null,
                duration_ms bigint not null,
                status_code bigint null,
                error_class text null,
                error text null,
                response_excerpt text null
            );
            create index ix_delivery_attempts_delivery on delivery_attempts (delivery_id, id);
            create index ix_delivery_attempts_destination on delivery_attempts (kind, destination, id);

            create table websub_subscriptions (
                id text primary key,
                topic text not null,
                feed_key text not null,
                format text not null,
                callback text not null,
                secret text null,
                lease_seconds bigint not null,
                lease_ends_at text not null,
                created_at text not null,
                verified_at text not null,
                unique (topic, callback)
            );
            create index ix_websub_subscriptions_feed on websub_subscriptions (feed_key, format, lease_ends_at);
            """),
        new(8, "the author's desk: the password, links in normal form, and what a source said of each item", """
            create table author_credentials (
                id bigint primary key check (id = 1),
                password_hash text not null,
                session_stamp text not null,
                changed_at text not null
            );

            alter table posts add column link_key text null;
            create index ix_posts_link_key on posts (link_key);

            alter table source_items add column summary text null;
            create index ix_source_items_post on source_items (post_id);

            create index ix_posts_drafts on posts (source_id, sort_at, id) where status = 'draft' and deleted_at is null;
            """),
        new(9, "a source's last fetch warnings, and its WebSub subscription to the hub its feed advertises", """
            alter table sources add column fetch_warnings text null;
            alter table sources add column hub_url text null;
            alter table sources add column hub_topic text null;
            alter table sources add column push_state text null check (push_state in ('wanted', 'requested', 'active', 'failed'));
            alter table sources add column push_reason text null;
            alter table sources add column push_callback_token text null;
            alter table sources add column push_secret text null;
            alter table sources add column push_lease_ends_at text null;
            alter table sources add column push_requested_at text null;
            alter table sources add column push_next_at text null;
            alter table sources add column last_push_at text null;
            create unique index ux_sources_push_callback on sources (push_callback_token);
            create index ix_sources_push_due on sources (push_state, push_next_at);
            """),
        new(10, "dirty marks that writers only insert: no row shared by concurrent writers", """
            create table feed_marks (
                id bigint generated by default as identity primary key,
                feed_key text not null
            );
            insert into feed_marks (feed_key) select feed_key from dirty_feeds;
            drop table dirty_feeds;
            """),
        new(11, "webhook messages claimed by one node at a time", """
            alter table webhook_messages add column claimed_by text null;
            alter table webhook_messages add column claimed_until text null;
            """),
        // Quartz.NET 4.7's job store schema for PostgreSQL, as its own provisioning script creates it, in a schema of its
        // own: the scheduler's tables are Quartz's business, and a copy from SQLite leaves them alone.
        new(12, "the clustered scheduler's tables", """
            create schema quartz;
            create table quartz.qrtz_job_details (
              sched_name text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              job_class_name text not null,
              is_durable bool not null,
              is_nonconcurrent bool not null,
              is_update_data bool not null,
              requests_recovery bool not null,
              job_data bytea null,
              primary key (sched_name,job_name,job_group)
            );
            create table quartz.qrtz_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              next_fire_time bigint null,
              prev_fire_time bigint null,
              priority integer null,
              trigger_state text not null,
              trigger_type text not null,
              start_time bigint not null,
              end_time bigint null,
              calendar_name text null,
              misfire_instr smallint null,
              misfire_orig_fire_time bigint null,
              execution_group varchar(200) null,
              preferred_node varchar(200) null,
              preferred_node_auto bool not null default false,
              retry_policy varchar(250) null,
              retry_attempt integer null,
              continues_trigger_name text null,
              continues_trigger_group text null,
              continuation_condition integer null,
              overlap_policy integer null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              misfire_threshold bigint null,
              fixed_delay bool null,
              job_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,job_name,job_group) references quartz.qrtz_job_details (sched_name,job_name,job_group)
            );
            create table quartz.qrtz_simple_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              repeat_count bigint not null,
              repeat_interval bigint not null,
              times_triggered bigint not null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references quartz.qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            create table quartz.qrtz_cron_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              cron_expression text not null,
              time_zone_id text,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references quartz.qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            create table quartz.qrtz_simprop_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              str_prop_1 text null,
              str_prop_2 text null,
              str_prop_3 text null,
              int_prop_1 integer null,
              int_prop_2 integer null,
              long_prop_1 bigint null,
              long_prop_2 bigint null,
              dec_prop_1 numeric null,
              dec_prop_2 numeric null,
              bool_prop_1 bool null,
              bool_prop_2 bool null,
              time_zone_id text null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references quartz.qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            create table quartz.qrtz_blob_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              blob_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references quartz.qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            create table quartz.qrtz_calendars (
              sched_name text not null,
              calendar_name text not null,
              calendar bytea not null,
              primary key (sched_name,calendar_name)
            );
            create table quartz.qrtz_paused_trigger_grps (
              sched_name text not null,
              trigger_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,trigger_group)
            );
            create table quartz.qrtz_paused_job_grps (
              sched_name text not null,
              job_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,job_group)
            );
            create table quartz.qrtz_fired_triggers (
              sched_name text not null,
              entry_id text not null,
              trigger_name text not null,
              trigger_group text not null,
              instance_name text not null,
              fired_time bigint not null,
              sched_time bigint not null,
              priority integer not null,
              state text not null,
              job_name text null,
              job_group text null,
              is_nonconcurrent bool not null,
              requests_recovery bool null,
              execution_group varchar(200) null,
              progress integer null,
              progress_message varchar(250) null,
              interrupt_requested_time bigint null,
              primary key (sched_name,entry_id)
            );
            create table quartz.qrtz_scheduler_state (
              sched_name text not null,
              instance_name text not null,
              last_checkin_time bigint not null,
              checkin_interval bigint not null,
              quartz_version varchar(20) null,
              primary key (sched_name,instance_name)
            );
            create table quartz.qrtz_locks (
              sched_name text not null,
              lock_name text not null,
              primary key (sched_name,lock_name)
            );
            create table quartz.qrtz_execution_history (
              sched_name text not null,
              entry_id text not null,
              instance_name text not null,
              job_name text not null,
              job_group text not null,
              trigger_name text not null,
              trigger_group text not null,
              fired_time bigint not null,
              run_time bigint not null,
              succeeded bool not null,
              error_message text null,
              retry_attempt integer not null default 0,
              retry_scheduled bool not null default false,
              execution_log text null,
              result integer null,
              summary text null,
              metrics text null,
              manual bool null,
              fire_instance_id text null,
              job_input text null,
              job_input_too_large bool null,
              primary key (sched_name,entry_id)
            );
            create table quartz.qrtz_misfire_history (
              sched_name text not null,
              entry_id text not null,
              instance_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text null,
              job_group text null,
              misfire_time bigint not null,
              sched_time bigint null,
              reason integer null,
              primary key (sched_name,entry_id)
            );
            create table quartz.qrtz_job_status (
              sched_name text not null,
              job_group text not null,
              job_name text not null,
              first_fired_time bigint not null,
              last_fired_time bigint not null,
              last_result integer not null,
              last_run_time bigint not null,
              last_instance_name text not null,
              last_entry_id text null,
              last_summary text null,
              last_success_time bigint null,
              last_failure_time bigint null,
              last_failure_message text null,
              consecutive_failures integer not null default 0,
              run_count bigint not null default 0,
              failure_count bigint not null default 0,
              primary key (sched_name,job_group,job_name)
            );
            create index idx_qrtz_j_g_n on quartz.qrtz_job_details (sched_name, job_group, job_name);
            create index idx_qrtz_t_j on quartz.qrtz_triggers (sched_name, job_name, job_group);
            create index idx_qrtz_t_g_n on quartz.qrtz_triggers (sched_name, trigger_group, trigger_name);
            create index idx_qrtz_t_c on quartz.qrtz_triggers (sched_name, calendar_name);
            create index idx_qrtz_t_nft_st on quartz.qrtz_triggers (sched_name, trigger_state, next_fire_time asc, priority desc, misfire_instr);
            create index idx_qrtz_ft_inst_job_req_rcvry on quartz.qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
            create index idx_qrtz_ft_j_g on quartz.qrtz_fired_triggers (sched_name, job_name, job_group);
            create index idx_qrtz_ft_t_g on quartz.qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
            create index idx_qrtz_eh_fired_time on quartz.qrtz_execution_history (sched_name, fired_time);
            create index idx_qrtz_eh_inst on quartz.qrtz_execution_history (sched_name, instance_name);
            create index idx_qrtz_mh_misfire_time on quartz.qrtz_misfire_history (sched_name, misfire_time);
            create index idx_qrtz_mh_inst on quartz.qrtz_misfire_history (sched_name, instance_name);
            create index idx_qrtz_eh_job_time on quartz.qrtz_execution_history (sched_name, job_group, job_name, fired_time);
            create index idx_qrtz_eh_fire_inst on quartz.qrtz_execution_history (sched_name, fire_instance_id);
            create index idx_qrtz_eh_trig_time on quartz.qrtz_execution_history (sched_name, trigger_group, trigger_name, fired_time);
            """),
        new(13, "ActivityPub: the site's key pair and the followers of its actors", """
            create table activitypub_keys (
                id text primary key,
                public_key_pem text not null,
                private_key_pem text not null,
                created_at text not null
            );

            create table activitypub_followers (
                actor text not null,
                follower text not null,
                inbox text not null,
                shared_inbox text null,
                follow_id text null,
                created_at text not null,
                primary key (actor, follower)
            );
            create index ix_activitypub_followers_follower on activitypub_followers (follower);
            """),
        new(14, "the search index: each post's words and linked site", """
            create table search_docs (
                post_id text primary key,
                site text not null,
                document tsvector not null
            );
            create index ix_search_docs_site on search_docs (site);
            create index ix_search_docs_document on search_docs using gin (document);
            """),
        new(15, "deleted posts apart, so every tag's count is its links less the few of deleted posts; drafts counted from their index alone", """
            create index ix_posts_deleted on posts (id) where deleted_at is not null;

            -- With the columns of its condition in it the index of live drafts answers the counts per source without
            -- reading a post: SQLite otherwise read each draft's row, 10,000 of them, to check what the index implies.
            drop index ix_posts_drafts;
            create index ix_posts_drafts on posts (source_id, sort_at, id, status, deleted_at) where status = 'draft' and deleted_at is null;
            """),
        new(16, "deliveries of the shared outbox claimed by one node at a time; the keys of sessions and form tokens, shared by every node", """
            alter table deliveries add column claimed_by text null;
            alter table deliveries add column claimed_until text null;

            create table data_protection_keys (
                name text primary key,
                xml text not null,
                created_at text not null
            );
            """),
        new(17, "the site each post links to, for the pages and feeds of one site's posts", """
            alter table posts add column link_site text null;
            create index ix_posts_site on posts (link_site, sort_at, id);
            """),
        new(18, "the search index without prefix indexes, which tripled the entries each word writes; posts are indexed again at start", """
            -- SQLite's alone: a tsvector's GIN index keeps no prefix entries, so there is nothing to change here.
            """),
        new(19, "drafts counted per source as they are written, so the drafts queue reads its counts instead of counting", """
            -- One row per source (0: the author's own drafts), kept by the trigger below through every write of a post:
            -- creates, edits, publishing, discarding, imports. The queue reads these few rows
            -- where it counted every live draft on each request.
            create table draft_counts (
                source_key bigint primary key,
                drafts bigint not null
            );
            insert into draft_counts (source_key, drafts)
                select coalesce(source_id, 0), count(*) from posts
                where status = 'draft' and deleted_at is null
                group by coalesce(source_id, 0);

            create function count_drafts() returns trigger language plpgsql as $$
            begin
                if tg_op in ('UPDATE', 'DELETE') and old.status = 'draft' and old.deleted_at is null then
                    update draft_counts set drafts = drafts - 1 where source_key = coalesce(old.source_id, 0);
                end if;
                if tg_op in ('INSERT', 'UPDATE') and new.status = 'draft' and new.deleted_at is null then
                    insert into draft_counts (source_key, drafts) values (coalesce(new.source_id, 0), 1)
                        on conflict (source_key) do update set drafts = draft_counts.drafts + 1;
                end if;
                return null;
            end
            $$;

            create trigger tr_posts_draft_insert_delete after insert or delete on posts
                for each row execute function count_drafts();
            create trigger tr_posts_draft_update after update of status, deleted_at, source_id on posts
                for each row
                when ((old.status = 'draft' and old.deleted_at is null) is distinct from (new.status = 'draft' and new.deleted_at is null)
                      or old.source_id is distinct from new.source_id)
                execute function count_drafts();
            """),
        new(20, "the search index with an index of three-letter prefixes; posts are indexed again at start", """
            -- SQLite's alone: a prefix query (wal:*) reads the GIN index's sorted entries from the prefix on.
            """),
        new(21, "the search index without a site of its own: site: reads the site each post keeps", """
            drop index ix_search_docs_site;
            alter table search_docs drop column site;
            """),
        new(22, "the index of posts by source without the author's own posts, which have no source", """
            -- Only a source's posts are ever looked up by source; each of the author's own posts wrote an entry too.
            drop index ix_posts_source;
            create index ix_posts_source on posts (source_id, sort_at, id) where source_id is not null;
            """),
        new(23, "drafts counted by the writes of posts instead of triggers on posts", """
            -- The counts stay; every write of posts now moves them itself (DraftCounts), as on SQLite.
            drop trigger tr_posts_draft_insert_delete on posts;
            drop trigger tr_posts_draft_update on posts;
            drop function count_drafts();
            """),
        new(24, "each link of a post to a tag keeps the post's publication time, so a tag's feed is a range of the tag index", """
            -- The post's sort time while it is published and not deleted, null otherwise (PostInserter.LinkedPublishedAt).
            -- A tag's page was read from all of the tag's links, each post looked up and the lot sorted, on every render
            -- of its feed: 750 look-ups for a tag of 750 posts. It is now the index's newest entries of that tag.
            alter table post_tags add column published_at text null;
            drop index ix_post_tags_tag;
            update post_tags set published_at = p.sort_at from posts p
                where p.id = post_tags.post_id and p.status = 'published' and p.deleted_at is null;
            create index ix_post_tags_tag on post_tags (tag_slug, published_at, post_id);
            """),
        new(25, "rendered documents kept by the database with a faster compression", """
            -- PostgreSQL compresses a large value before storing it, by default with its own pglz: a render writes three
            -- documents of some 70 KB a feed, and compressing them was most of what storing them cost (a tenth of the
            -- database's time under a stream of creates). LZ4 takes a fraction of that; PostgreSQL has it where it was
            -- built with it (Debian's and the official images are). The precompressed copies would not shrink: they are
            -- stored as they are, without a try.
            do $$
            begin
                if exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any (enumvals)) then
                    alter table feed_documents alter column body set compression lz4;
                end if;
            end
            $$;
            alter table feed_documents alter column body_gzip set storage external;
            alter table feed_documents alter column body_brotli set storage external;
            """),
        new(26, "a post's links to its tags kept to stored tags by a table lock, not by a foreign key", """
            -- The key's check took a key-share lock on the row of each tag a new link names: a write to one of a few rows
            -- by every concurrent create (4.5 % of PostgreSQL's statement time under creates). The writes of posts now
            -- lock the tags table in row exclusive mode before they look any tag up (SqlDialect.ShareTagsSql) and a
            -- rename or merge in share row exclusive mode, so no link is written to a tag being removed. Renames insert
            -- the new tag and move the links; nothing updates a tag's slug.
            alter table post_tags drop constraint post_tags_tag_slug_fkey;
            """),
    ];
}
