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
        new(9, "the search index: each post's words and linked site", """
            create table search_docs (
                post_id text primary key,
                site text not null,
                document tsvector not null
            );
            create index ix_search_docs_site on search_docs (site);
            create index ix_search_docs_document on search_docs using gin (document);
            """),
    ];
}
