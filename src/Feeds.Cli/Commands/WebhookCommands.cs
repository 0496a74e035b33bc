using System.CommandLine;
using Feeds.Cli.Api;
using Feeds.Cli.Terminal;
using Feeds.Contracts.Webhooks;

namespace Feeds.Cli.Commands;

/// <summary><c>feeds webhooks add|ls|rm|ping|messages|replay</c>: subscriptions over <c>/api/webhooks</c>.</summary>
internal static class WebhookCommands
{
    public static Command Webhooks(Cli cli)
    {
        var command = cli.Command(
            "webhooks",
            "Subscribes endpoints to post events, tests them, and inspects and replays what was sent.",
            "feeds webhooks add https://hooks.example/feeds --event post.published --tag python",
            "feeds webhooks ls",
            "feeds webhooks messages 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a --status failed");
        foreach (var sub in (Command[])[Add(cli), List(cli), Remove(cli), Ping(cli), Messages(cli), Replay(cli)])
        {
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static Command Add(Cli cli)
    {
        var command = cli.Command(
            "add",
            "Subscribes an endpoint. Its signing secret is printed this once.",
            "feeds webhooks add https://hooks.example/feeds",
            "feeds webhooks add https://hooks.example/python --event post.published --tag python --json");
        var url = new Argument<string>("URL") { Description = "Where deliveries are POSTed." };
        var events = new Option<string[]>("--event") { Description = "post.published, post.updated or post.deleted; repeat for several (default: all).", HelpName = "TYPE" };
        var tags = new Option<string[]>("--tag") { Description = "Only posts with this tag; repeat for several (default: every post).", HelpName = "TAG" };
        var json = Cli.JsonOption();
        command.Arguments.Add(url);
        command.Options.Add(events);
        command.Options.Add(tags);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var body = new WebhookInput(
                Inputs.HttpUrl(context.Value(url), "URL"),
                context.Value(events) is { Length: > 0 } types ? types : null,
                context.Value(tags) is { Length: > 0 } names ? names : null);
            var endpoint = await context.Client.AddWebhookAsync(body, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(endpoint);
                return ExitCodes.Ok;
            }

            context.Out.WriteLine($"Subscribed {endpoint.Url} (id {CliJson.Show(endpoint.Id)})");
            context.Out.WriteLine($"Signing secret (shown only now): {endpoint.Secret}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(Cli cli)
    {
        var command = cli.Command("ls", "Lists webhook endpoints.", "feeds webhooks ls --json");
        var json = Cli.JsonOption();
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var endpoints = (await context.Client.ListWebhooksAsync(context.Cancellation)).Items;
            if (context.Value(json))
            {
                context.Print(endpoints);
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "STATE", "EVENTS", "TAGS", "URL");
            foreach (var endpoint in endpoints)
            {
                var state = endpoint.Enabled ? "enabled" : "disabled";
                var tags = endpoint.Tags;
                table.AddColoured(1, Style.StatusColour(state), CliJson.Show(endpoint.Id), state, string.Join(",", endpoint.Events), tags.Count == 0 ? "(all)" : string.Join(",", tags), endpoint.Url);
            }

            table.Write(context.Out, context.Style);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(Cli cli)
    {
        var command = cli.Command("rm", "Deletes an endpoint with its messages and attempts.", "feeds webhooks rm 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a");
        var id = IdArgument();
        command.Arguments.Add(id);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var endpointId = Inputs.WebhookId(context.Value(id));
            await context.Client.RemoveWebhookAsync(endpointId, context.Cancellation);
            context.Out.WriteLine($"Deleted {endpointId}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Ping(Cli cli)
    {
        var command = cli.Command("ping", "Sends a webhook.ping at once and shows how it went; exits with 2 when the endpoint did not accept it.", "feeds webhooks ping 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a");
        var id = IdArgument();
        var json = Cli.JsonOption();
        command.Arguments.Add(id);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var result = await context.Client.PingWebhookAsync(Inputs.WebhookId(context.Value(id)), context.Cancellation);
            var delivered = result.Delivered;
            if (context.Value(json))
            {
                context.Print(result);
            }
            else
            {
                var attempt = result.Attempt;
                var outcome = delivered ? context.Style.Colour(Style.Green, "delivered") : context.Style.Colour(Style.Red, "not delivered");
                var error = attempt.Error is { } e ? $": {e}" : "";
                context.Out.WriteLine($"Ping {result.MessageId} {outcome} (status {CliJson.Show(attempt.StatusCode)}, {CliJson.Show(attempt.DurationMs)} ms){error}");
            }

            return delivered ? ExitCodes.Ok : ExitCodes.Server;
        });
        return command;
    }

    private static Command Messages(Cli cli)
    {
        var command = cli.Command("messages", "Lists what was sent to an endpoint, newest first.", "feeds webhooks messages 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a --status failed --limit 20");
        var id = IdArgument();
        var status = new Option<string?>("--status") { Description = "Only messages that are pending, delivered or failed." };
        status.AcceptOnlyFromAmong("pending", "delivered", "failed");
        var limit = new Option<int>("--limit", "-n") { Description = "How many messages to show (at most 200).", DefaultValueFactory = _ => 50 };
        var json = Cli.JsonOption();
        command.Arguments.Add(id);
        command.Options.Add(status);
        command.Options.Add(limit);
        command.Options.Add(json);
        cli.Action(command, async context =>
        {
            context.RequireToken();
            var query = $"limit={context.Value(limit)}" + (context.Value(status) is { } s ? $"&status={s}" : "");
            var messages = (await context.Client.ListWebhookMessagesAsync(Inputs.WebhookId(context.Value(id)), query, context.Cancellation)).Items;
            if (context.Value(json))
            {
                context.Print(messages);
                return ExitCodes.Ok;
            }

            var table = new Table("ID", "STATUS", "TYPE", "ATTEMPTS", "CREATED", "POST");
            foreach (var message in messages)
            {
                table.AddColoured(1, Style.StatusColour(message.Status), message.Id, message.Status, message.Type, CliJson.Show(message.Attempts), CliJson.ShowTime(message.CreatedAt), CliJson.Show(message.PostId));
            }

            table.Write(context.Out, context.Style);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Replay(Cli cli)
    {
        var command = cli.Command(
            "replay",
            "Sends one message again (--message), or every message of a time range (--since, --until, --status), under their original ids.",
            "feeds webhooks replay 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a --message msg_2mYkCNbV8h",
            "feeds webhooks replay 0199c1f4-6f1e-7c4e-9a51-2b1f0c9d8e7a --since -1d --status failed");
        var id = IdArgument();
        var message = new Option<string?>("--message") { Description = "The id of the message to send again.", HelpName = "ID" };
        var since = new Option<string?>("--since") { Description = "Replay messages created at or after TIME (ISO 8601 or -2h, -1d).", HelpName = "TIME" };
        var until = new Option<string?>("--until") { Description = "…and before TIME.", HelpName = "TIME" };
        var status = new Option<string?>("--status") { Description = "Only messages that are pending, delivered or failed." };
        status.AcceptOnlyFromAmong("pending", "delivered", "failed");
        var json = Cli.JsonOption();
        command.Arguments.Add(id);
        foreach (var option in (Option[])[message, since, until, status, json])
        {
            command.Options.Add(option);
        }

        cli.Action(command, async context =>
        {
            context.RequireToken();
            var body = new ReplayRequest(
                context.Value(message),
                context.Value(since) is { } from ? Inputs.Time(from, "--since", context.Environment.Clock) : null,
                context.Value(until) is { } to ? Inputs.Time(to, "--until", context.Environment.Clock) : null,
                context.Value(status));
            if (body == new ReplayRequest(null, null, null, null))
            {
                throw new CliException(ExitCodes.Usage, "say what to replay: --message ID, or --since TIME (with --until and --status if you like).");
            }

            var result = await context.Client.ReplayWebhookAsync(Inputs.WebhookId(context.Value(id)), body, context.Cancellation);
            if (context.Value(json))
            {
                context.Print(result);
            }
            else
            {
                context.Out.WriteLine($"Replaying {CliJson.Show(result.Replayed)} message(s)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> IdArgument() => new("ID") { Description = "The endpoint's id (from feeds webhooks ls)." };
}
