//! Each layout checked against what the AWS CLI 1.46 prints for the same value with
//! `--color off` and 80 columns (its table module run on these values).

use super::*;
use serde_json::json;

fn check(title: &str, value: Value, expected: &str) {
    assert_eq!(format(title, &value, 80), expected, "{value}");
}

#[test]
fn a_list_of_objects_with_nested_lists_gets_a_section_per_object() {
    check(
        "ListUsers",
        json!({"users": [{"username": "alice@example.com", "status": 2, "isAdmin": false, "securityGroups": ["BCTY8Qhe"]}, {"username": "bob@example.com", "status": 1, "isAdmin": true, "securityGroups": ["G2", "G3"]}]}),
        "----------------------------------------------\n|                  ListUsers                 |\n+--------------------------------------------+\n||                   users                  ||\n|+----------+---------+---------------------+|\n||  isAdmin | status  |      username       ||\n|+----------+---------+---------------------+|\n||  False   |  2      |  alice@example.com  ||\n|+----------+---------+---------------------+|\n|||             securityGroups             |||\n||+----------------------------------------+||\n|||  BCTY8Qhe                              |||\n||+----------------------------------------+||\n||                   users                  ||\n|+----------+----------+--------------------+|\n||  isAdmin | status   |     username       ||\n|+----------+----------+--------------------+|\n||  True    |  1       |  bob@example.com   ||\n|+----------+----------+--------------------+|\n|||             securityGroups             |||\n||+----------------------------------------+||\n|||  G2                                    |||\n|||  G3                                    |||\n||+----------------------------------------+||\n",
    );
}

#[test]
fn one_object_of_scalars_is_one_row_under_its_keys() {
    check(
        "GetUsersCount",
        json!({"total": 2, "pending": 0, "active": 2, "rejected": 0, "remaining": 98}),
        "---------------------------------------------------------\n|                     GetUsersCount                     |\n+--------+----------+-----------+-------------+---------+\n| active | pending  | rejected  |  remaining  |  total  |\n+--------+----------+-----------+-------------+---------+\n|  2     |  0       |  0        |  98         |  2      |\n+--------+----------+-----------+-------------+---------+\n",
    );
}

#[test]
fn a_row_too_wide_for_the_terminal_turns_into_key_value_rows() {
    check(
        "GetNetwork",
        json!({"networkId": "12345678", "networkName": "Demo Network", "accessLevel": "PREMIUM", "awsAccountId": "123456789012", "networkArn": "arn:aws:wickr:us-east-1:123456789012:network/12345678", "standing": 1, "freeTrialExpiration": "2025-12-31", "migrationState": 0, "encryptionKeyArn": "arn:aws:kms:us-east-1:123456789012:key/abcd"}),
        "----------------------------------------------------------------------------------\n|                                   GetNetwork                                   |\n+----------------------+---------------------------------------------------------+\n|  accessLevel         |  PREMIUM                                                |\n|  awsAccountId        |  123456789012                                           |\n|  encryptionKeyArn    |  arn:aws:kms:us-east-1:123456789012:key/abcd            |\n|  freeTrialExpiration |  2025-12-31                                             |\n|  migrationState      |  0                                                      |\n|  networkArn          |  arn:aws:wickr:us-east-1:123456789012:network/12345678  |\n|  networkId           |  12345678                                               |\n|  networkName         |  Demo Network                                           |\n|  standing            |  1                                                      |\n+----------------------+---------------------------------------------------------+\n",
    );
}

#[test]
fn a_list_of_flat_objects_is_one_section() {
    check(
        "ListUsers",
        json!({"users": [{"username": "a", "status": 2}, {"username": "b", "status": 1}]}),
        "--------------------------\n|        ListUsers       |\n+------------------------+\n||         users        ||\n|+---------+------------+|\n|| status  | username   ||\n|+---------+------------+|\n||  2      |  a         ||\n||  1      |  b         ||\n|+---------+------------+|\n",
    );
}

#[test]
fn a_list_of_scalars_is_a_row_each() {
    check(
        "Q",
        json!(["a", "b"]),
        "-------\n|  Q  |\n+-----+\n|  a  |\n|  b  |\n+-----+\n",
    );
}

#[test]
fn a_scalar_is_its_title_only() {
    check("Q", json!("just text"), "---\n|Q|\n+-+\n");
}

#[test]
fn nested_objects_indent_one_level_each() {
    check(
        "Q",
        json!({"a": {"b": {"c": 1}}}),
        "----------------\n|       Q      |\n+--------------+\n||      a     ||\n|+------------+|\n|||     b    |||\n||+----+-----+||\n|||  c |  1  |||\n||+----+-----+||\n",
    );
}

#[test]
fn an_empty_answer_prints_nothing() {
    check("Q", json!([]), "");
}

#[test]
fn lists_of_scalars_are_rows() {
    check(
        "Q",
        json!([["x", 1], ["y", 2]]),
        "------------\n|     Q    |\n+----+-----+\n|  x |  1  |\n|  y |  2  |\n+----+-----+\n",
    );
}
