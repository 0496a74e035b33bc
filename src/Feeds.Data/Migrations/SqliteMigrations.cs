namespace Feeds.Data.Migrations;

/// <summary>
/// The SQLite schema's history: ordered, append-only. A deployed migration is never edited; a change is a new entry,
/// with its twin of the same version and name in <see cref="PostgresMigrations"/> (see <see cref="MigrationRunner"/>).
/// </summary>
public static class SqliteMigrations
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
                position integer not null,
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
                body blob not null,
                body_gzip blob not null,
                body_brotli blob not null,
                etag text not null,
                last_modified text not null,
                entry_count integer not null,
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
                attempt_count integer not null,
                retry_step integer not null,
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
                duration_ms integer not null,
                status_code integer null,
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
                interval_minutes integer not null,
                backfill integer not null,
                created_at text not null,
                updated_at text not null,
                etag text null,
                last_modified text null,
                body_sha256 text null,
                suggested_interval_minutes integer null,
                last_status integer null,
                last_checked_at text null,
                last_success_at text null,
                next_check_at text null,
                error_count integer not null,
                last_error text null,
                stopped integer not null
            );
            create index ix_sources_due on sources (stopped, next_check_at);

            create table source_tags (
                source_id bigint not null references sources (id) on delete cascade,
                tag_slug text not null,
                tag_name text not null,
                position integer not null,
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
            alter table sources add column interval_chosen integer not null default 1;
            alter table sources add column suggested_by text null;
            alter table sources add column effective_interval_minutes integer null;
            alter table sources add column interval_reason text null;
            """),
        new(6, "dirty marks counted, so a mark made while a render runs is never taken for the one it answered", """
            alter table dirty_feeds add column mark integer not null default 0;
            """),
        new(7, "the outbox every kind of delivery shares, its attempt log, and WebSub subscriptions", """
            create table deliveries (
                id text primary key,
                kind text not null,
                destination text not null,
                coalesce_key text null,
                payload text not null,
                revision integer not null,
                status text not null check (status in ('pending', 'delivered', 'failed')),
                attempt_count integer not null,
                retry_step integer not null,
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
                duration_ms integer not null,
                status_code integer null,
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
                lease_seconds integer not null,
                lease_ends_at text not null,
                created_at text not null,
                verified_at text not null,
                unique (topic, callback)
            );
            create index ix_websub_subscriptions_feed on websub_subscriptions (feed_key, format, lease_ends_at);
            """),
        new(8, "the author's desk: the password, links in normal form, and what a source said of each item", """
            create table author_credentials (
                id integer primary key check (id = 1),
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
                id integer primary key,
                feed_key text not null
            );
            insert into feed_marks (feed_key) select feed_key from dirty_feeds;
            drop table dirty_feeds;
            """),
        new(11, "webhook messages claimed by one node at a time", """
            alter table webhook_messages add column claimed_by text null;
            alter table webhook_messages add column claimed_until text null;
            """),
        new(12, "the clustered scheduler's tables", """
            -- Nothing on SQLite: one node, whose scheduler keeps its jobs in memory.
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
                doc_id integer primary key,
                post_id text not null unique,
                site text not null
            );
            create index ix_search_docs_site on search_docs (site);
            create virtual table search_fts using fts5 (
                title, commentary, link, via, tags,
                content = '', contentless_delete = 1, prefix = '2 3'
            );
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
            -- A prefix query (wal*) reads every word it starts instead, a little slower for short prefixes. The table is
            -- made anew; emptying search_docs lets the start-up fill index every post again.
            drop table search_fts;
            delete from search_docs;
            create virtual table search_fts using fts5 (
                title, commentary, link, via, tags,
                content = '', contentless_delete = 1
            );
            """),
        new(19, "drafts counted per source as they are written, so the drafts queue reads its counts instead of counting", """
            -- One row per source (0: the author's own drafts), kept by the triggers below through every write of a post:
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

            create trigger tr_posts_draft_insert after insert on posts
            when new.status = 'draft' and new.deleted_at is null
            begin
                insert into draft_counts (source_key, drafts) values (coalesce(new.source_id, 0), 1)
                    on conflict (source_key) do update set drafts = drafts + 1;
            end;

            create trigger tr_posts_draft_delete after delete on posts
            when old.status = 'draft' and old.deleted_at is null
            begin
                update draft_counts set drafts = drafts - 1 where source_key = coalesce(old.source_id, 0);
            end;

            create trigger tr_posts_draft_update after update of status, deleted_at, source_id on posts
            when (old.status = 'draft' and old.deleted_at is null) is not (new.status = 'draft' and new.deleted_at is null)
                 or old.source_id is not new.source_id
            begin
                update draft_counts set drafts = drafts - 1
                    where old.status = 'draft' and old.deleted_at is null and source_key = coalesce(old.source_id, 0);
                insert into draft_counts (source_key, drafts)
                    select coalesce(new.source_id, 0), 1 where new.status = 'draft' and new.deleted_at is null
                    on conflict (source_key) do update set drafts = drafts + 1;
            end;
            """),
        new(20, "the search index with an index of three-letter prefixes; posts are indexed again at start", """
            -- A three-letter prefix (wal*, pyt*) may start a thousand words; without an index of its own FTS5 merged
            -- every one of their lists on each search, 7 ms at 100,000 posts, against under 1 ms with it. Each word
            -- writes one more entry (a third more indexing time); longer prefixes start few words and need none.
            drop table search_fts;
            delete from search_docs;
            create virtual table search_fts using fts5 (
                title, commentary, link, via, tags,
                content = '', contentless_delete = 1, prefix = '3'
            );
            """),
        new(21, "the search index without a site of its own: site: reads the site each post keeps", """
            -- Every post's site is in posts.link_site already; a second copy cost each write an entry in one more index
            -- in site order, a page of its own for nearly every post of an import's batch.
            drop index ix_search_docs_site;
            alter table search_docs drop column site;
            """),
        new(22, "the index of posts by source without the author's own posts, which have no source", """
            -- Only a source's posts are ever looked up by source; each of the author's own posts wrote an entry too.
            drop index ix_posts_source;
            create index ix_posts_source on posts (source_id, sort_at, id) where source_id is not null;
            """),
        new(23, "drafts counted by the writes of posts instead of triggers on posts", """
            -- The counts stay; every write of posts now moves them itself (DraftCounts). A trigger made SQLite run each
            -- insert and update of a post in a savepoint of its own, copying every page it changed aside first.
            drop trigger tr_posts_draft_insert;
            drop trigger tr_posts_draft_update;
            drop trigger tr_posts_draft_delete;
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
            -- PostgreSQL's alone: SQLite stores each document as it is given.
            """),
        new(26, "a post's links to its tags kept to stored tags by a table lock, not by a foreign key", """
            -- PostgreSQL's alone: SQLite's one writer at a time keeps renames and links apart, and its key's check locks nothing.
            """),
    ];
}
